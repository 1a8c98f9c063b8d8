"""The one hook between the desk's services and webhooks: factcheck.core.events.desk_event arrives here, in
the transaction of the change, and becomes a delivery per subscribed endpoint. The payload says what
happened and carries the ids (and API paths) to look the rest up."""

from __future__ import annotations

import logging

from django.db import transaction
from django.urls import reverse

from articles.selectors.imports import import_jobs_for
from factcheck.core.events import IMPORT_FINISHED, REPORT_PUBLISHED, STATEMENT_SETTLED
from reviews.publishing.selectors import published_reports
from reviews.selectors.desk import statement_for_review

from .selectors import webhook_endpoints_for
from .services.webhooks import webhook_event_record

logger = logging.getLogger(__name__)


def _import_finished(job_id: int) -> dict | None:
    job = import_jobs_for(user=None).filter(pk=job_id).first()
    if job is None:
        return None
    return {
        "job": {
            "id": job.pk,
            "status": job.status,
            "label": job.label,
            "processed": job.processed,
            "succeeded": job.succeeded,
            "duplicates": job.duplicates,
            "failed": job.failed,
            "finished_at": job.finished_at,
            "api_path": reverse("api:import-detail", args=[job.pk]),
        }
    }


def _statement_settled(statement_id: int) -> dict | None:
    statement = statement_for_review().filter(pk=statement_id).first()
    summary = getattr(statement, "summary", None) if statement else None
    if summary is None:
        return None
    return {
        "statement": {
            "id": statement.pk,
            "article_id": statement.article_id,
            "text": statement.text,
            "verdict": summary.final_verdict,
            "settled_by_editor": bool(summary.editor_verdict),
            "api_path": reverse("api:statement-detail", args=[statement.pk]),
        }
    }


def _report_published(report_id: int) -> dict | None:
    report = published_reports().filter(pk=report_id).first()
    if report is None:
        return None
    return {
        "report": {
            "id": report.pk,
            "article_id": report.article_id,
            "headline": report.headline,
            "first_published_at": report.first_published_at,
            "published_at": report.published_at,
            "page_path": reverse("reviews:report_detail", args=[report.pk]),
            "api_path": reverse("api:report-detail", args=[report.pk]),
        }
    }


PAYLOADS = {
    IMPORT_FINISHED: lambda data: _import_finished(data["job_id"]),
    STATEMENT_SETTLED: lambda data: _statement_settled(data["statement_id"]),
    REPORT_PUBLISHED: lambda data: _report_published(data["report_id"]),
}


def on_desk_event(sender, *, name: str, data: dict, **kwargs) -> None:
    """Record deliveries for the endpoints that want this event. A failure here is logged and never undoes
    the change that caused the event (its own savepoint)."""
    if name not in PAYLOADS or not webhook_endpoints_for(event=name):
        return  # an internal event (notifications only), or nobody subscribed
    try:
        with transaction.atomic():
            payload = PAYLOADS[name](data)
            if payload is not None:
                webhook_event_record(event=name, data=payload)
    except Exception:
        logger.exception("could not record webhook deliveries for %s %s", name, data)

"""Badges for import jobs, import items and checkability: each status's tone is said once, here."""

from django import template

from factcheck.core.badges import badge

from ..models import ImportItem, ImportJob, Statement

register = template.Library()

JOB_TONES = {
    ImportJob.Status.DONE: "success",
    ImportJob.Status.DONE_WITH_ERRORS: "warning",
    ImportJob.Status.FAILED: "danger",
    ImportJob.Status.RUNNING: "primary",
    ImportJob.Status.PENDING: "muted",
}
ITEM_TONES = {
    ImportItem.Status.IMPORTED: "success",
    ImportItem.Status.DUPLICATE: "info",
    ImportItem.Status.FAILED: "danger",
    ImportItem.Status.PENDING: "muted",
}
CHECKABILITY_TONES = {
    Statement.Checkability.CHECKABLE: "success",
    Statement.Checkability.CANDIDATE_NOT_CHECKABLE: "plain",
    Statement.Checkability.NOT_CHECKABLE: "plain",
}


@register.simple_tag
def job_status_badge(job):
    if job.nothing_imported:  # "Done with errors" would read as a partial success
        return badge("Every item failed", "danger")
    return badge(job.get_status_display(), JOB_TONES.get(job.status, "muted"))


@register.simple_tag
def job_progress_tone(job):
    """The progress bar's colour once the job has finished, matching its status badge."""
    if not job.is_finished:
        return ""
    tone = "danger" if job.nothing_imported else JOB_TONES.get(job.status, "muted")
    return {"success": "bg-success", "warning": "bg-warning text-dark", "danger": "bg-danger"}.get(tone, "")


@register.simple_tag
def item_status_badge(item):
    return badge(item.get_status_display(), ITEM_TONES.get(item.status, "muted"))


@register.simple_tag
def checkability_badge(statement):
    return badge(statement.get_checkability_display(), CHECKABILITY_TONES.get(statement.checkability, "plain"))


@register.simple_tag
def feed_state_badge(feed):
    if not feed.active:
        return badge("Paused", "muted")
    if feed.last_error:
        return badge("Error", "danger", title=feed.last_error)
    return badge("Active", "success")

"""Where a notice leads: its target kind and id become a page's path (and, in e-mails, a full URL)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .models import Notice

T = Notice.Target
# target kind -> (URL name, whether it takes the target's id)
PAGES = {
    T.QUEUE: ("reviews:queue", False),
    T.ASSIGNMENT: ("reviews:assignment_detail", True),
    T.STATEMENT: ("reviews:statement_review", True),
    T.ARTICLE: ("reviews:article_detail", True),
    T.REPORT: ("reviews:report_detail", True),
    T.IMPORT: ("articles:import_detail", True),
    T.OVERVIEW: ("reviews:overview", False),
}


def notice_path(notice: Notice) -> str:
    name, takes_id = PAGES[notice.target_kind]
    if takes_id and notice.target_id is None:
        return reverse("notifications:list")
    return reverse(name, args=[notice.target_id] if takes_id else [])


def absolute(path: str) -> str:
    """A path on this site as a full URL, for e-mails (SITE_URL, e.g. https://desk.example.org)."""
    return settings.SITE_URL.rstrip("/") + path

"""Reads for notifications: a member's notices and unread count, their preference, the digest's notices, and
who is told about what (set-based: one query per event, however many recipients)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from articles.models import ImportJob, Statement
from factcheck.accounts.roles import Role
from factcheck.core.pagination import KeysetPage, keyset_page
from reviews.models import Assignment, Rating, Report

from .models import DEFAULT_DELIVERY, Notice, NotificationPreference, UnreadCount

User = get_user_model()
LIST_ORDER = ("-pk",)


def unread_count(*, user) -> int:
    """The member's maintained unread count: one primary-key read."""
    return UnreadCount.objects.filter(pk=user.pk).values_list("unread", flat=True).first() or 0


def notices_page(*, user, cursor: str = "", size: int = 25) -> KeysetPage:
    """The member's notices, newest first, a keyset page at a time (index notice_inbox)."""
    return keyset_page(Notice.objects.filter(recipient=user), order=LIST_ORDER, cursor=cursor, size=size)


def delivery_of(*, user) -> str:
    """How the member wants to be told (the default when they never chose)."""
    return (
        NotificationPreference.objects.filter(pk=user.pk).values_list("delivery", flat=True).first() or DEFAULT_DELIVERY
    )


def digest_notices(*, user_id: int, start, end, limit: int) -> list[Notice]:
    """The member's notices of the digest's window still unread, newest first, at most `limit` (+1 to tell
    that there are more)."""
    return list(
        Notice.objects.filter(
            recipient_id=user_id, read_at__isnull=True, created_at__gt=start, created_at__lte=end
        ).order_by("-created_at", "-pk")[: limit + 1]
    )


# Who is told: ids of active members, each list one query.


def members_with_roles(*roles: Role) -> list[int]:
    """Active members holding any of the roles."""
    return list(
        User.objects.filter(is_active=True, groups__name__in=[r.value for r in roles])
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )


def editor_ids() -> list[int]:
    """Who settles disputes and watches deadlines: editors and admins (an admin may do what an editor may)."""
    return members_with_roles(Role.EDITOR, Role.ADMIN)


def admin_ids() -> list[int]:
    return members_with_roles(Role.ADMIN)


def member_names(user_ids) -> dict[int, str]:
    return {
        pk: (f"{first} {last}".strip() or username)
        for pk, username, first, last in User.objects.filter(pk__in=set(user_ids)).values_list(
            "pk", "username", "first_name", "last_name"
        )
    }


def assignments_with_statements(assignment_ids) -> list[tuple[int, int, str, object]]:
    """(assignment id, reviewer id, statement text, due date) of each open-or-done assignment, in id order."""
    return list(
        Assignment.objects.filter(pk__in=set(assignment_ids))
        .order_by("pk")
        .values_list("pk", "reviewer_id", "statement__text", "due_at")
    )


def statement_with_verdict(statement_id: int) -> tuple[str, str] | None:
    """(text, final verdict or "") of a statement."""
    row = (
        Statement.objects.filter(pk=statement_id)
        .values_list("text", "summary__editor_verdict", "summary__consensus")
        .first()
    )
    if row is None:
        return None
    text, editor_verdict, consensus = row
    return text, editor_verdict or consensus or ""


def raters_of_statement(statement_id: int) -> dict[int, int | None]:
    """reviewer id -> their assignment id (None without one) for everyone who rated the statement."""
    raters = dict.fromkeys(Rating.objects.filter(statement_id=statement_id).values_list("reviewer_id", flat=True))
    for assignment_id, reviewer_id in Assignment.objects.filter(
        statement_id=statement_id, reviewer_id__in=list(raters)
    ).values_list("pk", "reviewer_id"):
        raters[reviewer_id] = assignment_id
    return raters


def raters_of_article(article_id: int) -> list[int]:
    """Everyone who rated one of the article's statements."""
    return list(
        Rating.objects.filter(statement__article_id=article_id)
        .order_by("reviewer_id")
        .values_list("reviewer_id", flat=True)
        .distinct()
    )


def report_for_notice(report_id: int) -> Report | None:
    return Report.objects.filter(pk=report_id).only("pk", "article_id", "headline", "published_by_id").first()


def import_job_for_notice(job_id: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=job_id).only("pk", "label", "status", "failed", "error").first()


def notices_of(*, user) -> QuerySet:
    return Notice.objects.filter(recipient=user)

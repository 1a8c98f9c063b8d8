"""Reads about ratings, with blind review enforced here: nobody sees another's rating before their own."""

from ..models import Rating


def own_rating(*, user, statement_id: int) -> Rating | None:
    return Rating.objects.filter(statement_id=statement_id, reviewer=user).prefetch_related("evidence").first()


def other_ratings_visible_to(*, user, statement_id: int) -> list[Rating]:
    """Blind review: other reviewers' ratings only once the user has submitted their own."""
    if not Rating.objects.filter(statement_id=statement_id, reviewer=user).exists():
        return []
    return list(
        Rating.objects.filter(statement_id=statement_id)
        .exclude(reviewer=user)
        .select_related("reviewer")
        .prefetch_related("evidence")
    )


def ratings_for_statement(*, statement_id: int) -> list[Rating]:
    """For editors: every rating with its reviewer and evidence."""
    return list(
        Rating.objects.filter(statement_id=statement_id).select_related("reviewer").prefetch_related("evidence")
    )


def ratings_of(*, user):
    """The user's own ratings, newest first, with their evidence (for the API's list of a reviewer's ratings)."""
    return Rating.objects.filter(reviewer=user).select_related("reviewer").prefetch_related("evidence")

"""What curation may still change about a statement, and what the curation page shows. The service enforces
the same rule (curation_refusal), so the page never offers what the service would refuse."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from factcheck.audit.selectors import history

from ..audit_actions import CURATION_ACTIONS
from ..models import Article, Statement

RATED_MESSAGE = "This statement already has ratings; split or merge would change what reviewers rated."
RATED_EDIT_MESSAGE = "This statement already has ratings; editing its text would change what reviewers rated."
SETTLED_MESSAGE = "This statement is settled; it can no longer be split, merged or edited."
ASSIGNED_MESSAGE = (
    "This statement is assigned to reviewers; unassign it first, then split or merge it, and assign the result."
)
EDITOR_CHOICES = {Statement.Checkability.CHECKABLE, Statement.Checkability.NOT_CHECKABLE}
CONTEXT_CHARS = 400
_RATED = {Statement.ReviewStatus.RATED, Statement.ReviewStatus.DISPUTED}


def curation_refusal(statement: Statement, *, changes_span: bool) -> str:
    """Why the statement's text may not change now ("" when it may). Splitting and merging (`changes_span`)
    also need it unassigned; editing the text only needs it unrated. Marking checkability is always allowed."""
    status = statement.review_status
    if status == Statement.ReviewStatus.SETTLED:
        return SETTLED_MESSAGE
    if status in _RATED:
        return RATED_MESSAGE if changes_span else RATED_EDIT_MESSAGE
    if changes_span and status == Statement.ReviewStatus.ASSIGNED:
        return ASSIGNED_MESSAGE
    return ""


@dataclass(frozen=True)
class CurationPage:
    statement: Statement
    article: Article
    following: Statement | None
    excerpt: dict
    edited: bool
    split_points: list[tuple[str, int | None]]
    edit_refusal: str
    split_refusal: str
    merge_refusal: str


def split_points(text: str) -> list[tuple[str, int | None]]:
    """The text as (chunk, split index after it) pairs, split only between words; the last index is None."""
    pieces, last = [], 0
    for gap in re.finditer(r"\s+", text):
        if gap.start() == 0 or gap.end() == len(text):
            continue
        pieces.append((text[last : gap.start()], gap.start()))
        last = gap.end()
    pieces.append((text[last:], None))
    return pieces


def excerpt(body: str, start: int, end: int) -> dict:
    """The statement's sentence with up to CONTEXT_CHARS of the article around it."""
    before_from, after_to = max(0, start - CONTEXT_CHARS), min(len(body), end + CONTEXT_CHARS)
    return {
        "before": ("…" if before_from else "") + body[before_from:start],
        "span": body[start:end],
        "after": body[end:after_to] + ("…" if after_to < len(body) else ""),
    }


def curation_page(*, statement: Statement) -> CurationPage:
    """Everything the curation page needs about one statement and its neighbour: two queries."""
    article = statement.article
    following = article.statements.filter(position=statement.position + 1).first()
    merge_refusal = curation_refusal(statement, changes_span=True)
    if not merge_refusal and following is None:
        merge_refusal = "This is the last statement of the article; there is no next statement to merge with."
    elif not merge_refusal:
        merge_refusal = curation_refusal(following, changes_span=True)
    return CurationPage(
        statement=statement,
        article=article,
        following=following,
        excerpt=excerpt(article.body, statement.start, statement.end),
        edited=statement.text != article.body[statement.start : statement.end],
        split_points=split_points(statement.text),
        edit_refusal=curation_refusal(statement, changes_span=False),
        split_refusal=curation_refusal(statement, changes_span=True),
        merge_refusal=merge_refusal,
    )


def curation_history(*, article: Article) -> QuerySet:
    """The article's curation events (edits, splits, merges, marks), newest first; meant to be paginated."""
    return history(of=article, including_parts=True, actions=CURATION_ACTIONS).reverse()

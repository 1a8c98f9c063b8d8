"""Editor curation of statements: edit text, split, merge with the next one, mark checkability.

Every change writes an audit event (parent: the article). A statement's `start`/`end` always point into `article.body`;
its `text` is what reviewers see and may differ from the body once an editor has edited it.

Split and merge are refused once a statement is assigned, and every text change once it is rated or settled
(its review status, which the reviews app keeps): they would change (or delete) what reviewers were asked to
rate. The editor unassigns first, then curates.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max

from factcheck.accounts import policy
from factcheck.audit.services import Ref, event, record, record_many

from ..audit_actions import STATEMENT_EDITED, STATEMENT_MARKED, STATEMENT_MERGED, STATEMENT_SPLIT
from ..models import Article, Statement
from ..selectors.curation import EDITOR_CHOICES, curation_refusal
from .claim_memory import statements_rematch


def _snapshot(statement: Statement, *fields: str) -> dict:
    return {"id": statement.pk} | {field: getattr(statement, field) for field in fields}


_SPAN = ("text", "start", "end", "position")


def _lock(statement: Statement) -> tuple[Article, Statement]:
    """Lock the article (serialising curation of its statements) and reload the statement fresh."""
    article = Article.objects.select_for_update().only("pk", "body").get(pk=statement.article_id)
    try:
        fresh = Statement.objects.select_for_update().get(pk=statement.pk)
    except Statement.DoesNotExist as exc:
        raise ValidationError("This statement no longer exists; it was merged or removed meanwhile.") from exc
    return article, fresh


def _refuse_unless_curatable(*statements: Statement, changes_span: bool) -> None:
    for statement in statements:
        refusal = curation_refusal(statement, changes_span=changes_span)
        if refusal:
            raise ValidationError(refusal)


def _shift_positions(*, article_id: int, after: int, delta: int) -> None:
    """Move every statement positioned after `after` by `delta`, without tripping the unique position.

    Row-by-row uniqueness checks (PostgreSQL) would collide in a single `position + 1` update, so the rows
    first jump past the largest position, then land on their final positions.
    """
    rows = Statement.objects.filter(article_id=article_id, position__gt=after)
    top = Statement.objects.filter(article_id=article_id).aggregate(top=Max("position"))["top"] or 0
    jump = top + 1 + abs(delta)
    if rows.update(position=F("position") + jump):
        Statement.objects.filter(article_id=article_id, position__gt=top).update(position=F("position") - jump + delta)


def _change(statement: Statement, *, user, action: str, **values) -> Statement:
    """Set fields of a locked statement and record the values before and after as one audit event."""
    fields = list(values)
    before = _snapshot(statement, *fields)
    for field, value in values.items():
        setattr(statement, field, value)
    statement.save(update_fields=fields)
    parent = Ref("articles.article", statement.article_id)
    record(action, statement, actor=user, parent=parent, before=before, after=_snapshot(statement, *fields))
    return statement


def _count_statements(article_id: int, delta: int) -> None:
    Article.objects.filter(pk=article_id).update(statement_count=F("statement_count") + delta)


def map_index(original: str, edited: str, index: int) -> int:
    """Where `index` into `edited` falls in `original` (identity when they are equal); monotonic."""
    if original == edited:
        return index
    for tag, i1, _i2, j1, j2 in SequenceMatcher(None, original, edited, autojunk=False).get_opcodes():
        if j1 <= index < j2:
            return i1 + (index - j1) if tag == "equal" else i1
    return len(original)


@transaction.atomic
def statement_edit_text(*, statement: Statement, user, text: str) -> Statement:
    """Replace what reviewers see; the span into the body stays on the original sentence."""
    policy.require(policy.can_curate, user)
    text = text.strip()
    if not text:
        raise ValidationError("A statement needs some text; to drop it, mark it not checkable instead.")
    _, statement = _lock(statement)
    if text == statement.text:
        raise ValidationError("The text is unchanged.")
    _refuse_unless_curatable(statement, changes_span=False)
    changed = _change(statement, user=user, action=STATEMENT_EDITED, text=text)
    statements_rematch([changed.pk])  # new words, perhaps a claim the desk has checked before
    return changed


@transaction.atomic
def statement_split(*, statement: Statement, user, at: int) -> tuple[Statement, Statement]:
    """Split at character `at` of the text; the statement keeps the first part, a new one takes the rest."""
    policy.require(policy.can_curate, user)
    article, statement = _lock(statement)
    _refuse_unless_curatable(statement, changes_span=True)
    text = statement.text
    first_text, second_text = text[:at].rstrip(), text[at:].lstrip()
    if not 0 < at < len(text) or not first_text or not second_text:
        raise ValidationError(
            f"Choose a split point inside the statement (between 1 and {len(text) - 1}) so that both parts have text."
        )
    # Offsets of the trimmed parts, mapped back to the body: exact for unedited text, best effort otherwise.
    original = article.body[statement.start : statement.end]
    first_end = statement.start + map_index(original, text, len(first_text))
    second_start = statement.start + map_index(original, text, len(text) - len(second_text))
    before = _snapshot(statement, *_SPAN)

    _shift_positions(article_id=article.pk, after=statement.position, delta=1)
    second = Statement.objects.create(
        article_id=article.pk,
        position=statement.position + 1,
        start=max(second_start, first_end),
        end=statement.end,
        text=second_text,
        score=statement.score,
        score_reasons=statement.score_reasons,
        scored_by=statement.scored_by,
        checkability=statement.checkability,
    )
    statement.text, statement.end = first_text, first_end
    statement.save(update_fields=["text", "end"])
    record(
        STATEMENT_SPLIT,
        statement,
        actor=user,
        parent=article,
        before=before,
        after={"first": _snapshot(statement, *_SPAN), "second": _snapshot(second, *_SPAN)},
    )
    _count_statements(article.pk, +1)
    statements_rematch([statement.pk, second.pk])
    return statement, second


@transaction.atomic
def statement_merge_with_next(*, statement: Statement, user) -> Statement:
    """Join the statement with the one after it; the first one survives, the second is deleted.

    The merged statement is checkable if either part was, and keeps the higher score.
    """
    policy.require(policy.can_curate, user)
    article, first = _lock(statement)
    second = Statement.objects.select_for_update().filter(article_id=article.pk, position=first.position + 1).first()
    if second is None:
        raise ValidationError("This is the last statement of the article; there is no next statement to merge with.")
    _refuse_unless_curatable(first, second, changes_span=True)

    unedited = all(s.text == article.body[s.start : s.end] for s in (first, second))
    before = {"first": _snapshot(first, *_SPAN, "checkability"), "second": _snapshot(second, *_SPAN, "checkability")}
    first.text = article.body[first.start : second.end] if unedited else f"{first.text} {second.text}"
    first.end = second.end
    first.score = max(first.score, second.score)
    first.score_reasons = list(dict.fromkeys([*first.score_reasons, *second.score_reasons]))
    if Statement.Checkability.CHECKABLE in {first.checkability, second.checkability}:
        first.checkability = Statement.Checkability.CHECKABLE
    # The deleted statement's history stays under its own id; the merge event names it ("before.second.id"), so
    # the merged statement's history includes it (see selectors.statement_history).
    second.delete()
    first.save(update_fields=["text", "end", "score", "score_reasons", "checkability"])
    _shift_positions(article_id=article.pk, after=first.position + 1, delta=-1)
    record(
        STATEMENT_MERGED,
        first,
        actor=user,
        parent=article,
        before=before,
        after=_snapshot(first, *_SPAN, "checkability"),
    )
    _count_statements(article.pk, -1)
    statements_rematch([first.pk])
    return first


@transaction.atomic
def statement_mark(*, statement: Statement, user, checkability: str) -> Statement:
    """Set checkable / not checkable, overruling the scorer's suggestion; allowed on rated statements too."""
    policy.require(policy.can_curate, user)
    if checkability not in EDITOR_CHOICES:
        raise ValidationError("Mark a statement either checkable or not checkable.")
    _, statement = _lock(statement)
    if statement.checkability == checkability:
        label = Statement.Checkability(checkability).label.lower()
        raise ValidationError(f"Statement {statement.position + 1} is already marked {label}.")
    return _change(statement, user=user, action=STATEMENT_MARKED, checkability=checkability)


@transaction.atomic
def statements_mark(*, statement_ids: list[int], user, checkability: str) -> int:
    """Mark a selection of statements (a bulk action of the desk's lists); those marked so already are left
    alone, each change is its own audit event. Returns how many changed."""
    policy.require(policy.can_curate, user)
    if checkability not in EDITOR_CHOICES:
        raise ValidationError("Mark a statement either checkable or not checkable.")
    rows = list(
        Statement.objects.select_for_update()
        .filter(pk__in=statement_ids)
        .exclude(checkability=checkability)
        .order_by("pk")
        .only("pk", "article_id", "checkability")
    )
    if not rows:
        return 0
    Statement.objects.filter(pk__in=[s.pk for s in rows]).update(checkability=checkability)
    record_many(
        [
            event(
                STATEMENT_MARKED,
                s,
                actor=user,
                parent=Ref("articles.article", s.article_id),
                before={"id": s.pk, "checkability": s.checkability},
                after={"id": s.pk, "checkability": checkability},
            )
            for s in rows
        ]
    )
    return len(rows)

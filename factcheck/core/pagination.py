"""Keyset ("seek") pagination: a page is the rows after the last one shown, found through an index, so the
hundredth page costs what the first does (no OFFSET, no COUNT). The cursor is the last row's sort key,
signed so a visitor cannot hand-craft one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core import signing
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Subquery

SALT = "factcheck.keyset"


@dataclass
class KeysetPage:
    items: list
    next_cursor: str = ""
    is_first: bool = True
    size: int = 25
    extra: dict = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _value(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def _after(order: tuple[str, ...], values: list) -> Q:
    """Rows strictly after `values` in `order` (fields with "-" sort descending).

    The OR of the steps alone leaves PostgreSQL no range to start the index scan at, so a deep page walked
    the index from its beginning; the redundant bound on the first field (≥, or ≤ descending) is that range."""
    condition = Q(pk__in=[])
    for i, term in enumerate(order):
        name = term.lstrip("-")
        step = Q(**{f"{name}__lt" if term.startswith("-") else f"{name}__gt": values[i]})
        for earlier, value in zip(order[:i], values[:i], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    first, value = order[0], values[0]
    if value is not None and len(order) > 1:
        condition &= Q(**{f"{first.lstrip('-')}__lte" if first.startswith("-") else f"{first.lstrip('-')}__gte": value})
    return condition


def reversed_order(order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(term[1:] if term.startswith("-") else f"-{term}" for term in order)


def _first_after(queryset: QuerySet, order: tuple[str, ...], row) -> QuerySet:
    values = [_value(row, term.lstrip("-")) for term in order]
    return queryset.filter(_after(order, values)).order_by(*order)


def row_after(queryset: QuerySet, *, order: tuple[str, ...], row):
    """The first row of `queryset` after `row` in `order`, or None: the next item of a keyset-paged list, read
    through the same index as its pages."""
    return _first_after(queryset, order, row).first()


def row_neighbours(queryset: QuerySet, *, order: tuple[str, ...], row) -> tuple[int | None, int | None]:
    """The ids of the rows just before and just after `row` in `order` (None at either end), in one query: two
    one-row index probes as subqueries."""
    after = Subquery(_first_after(queryset, order, row).values("pk")[:1])
    before = Subquery(_first_after(queryset, reversed_order(order), row).values("pk")[:1])
    found = (
        queryset.model._default_manager.filter(Q(pk=before) | Q(pk=after))
        .annotate(is_after=ExpressionWrapper(Q(pk=after), output_field=BooleanField()))
        .values_list("is_after", "pk")
    )
    sides = {bool(is_after): pk for is_after, pk in found}
    return sides.get(False), sides.get(True)


def keyset_page(queryset: QuerySet, *, order: tuple[str, ...], cursor: str = "", size: int = 25) -> KeysetPage:
    """One page of `queryset` in `order` (which must end with a unique field, e.g. "pk"), after `cursor`.
    An invalid or tampered cursor gives the first page."""
    values = None
    if cursor:
        try:
            values = json.loads(signing.loads(cursor, salt=SALT))
        except (signing.BadSignature, ValueError, TypeError):
            values = None
    rows = queryset.order_by(*order)
    if values is not None and len(values) == len(order):
        rows = rows.filter(_after(order, [_decode(v) for v in values]))
    items = list(rows[: size + 1])
    next_cursor = ""
    if len(items) > size:
        items = items[:size]
        next_cursor = cursor_after(items[-1], order=order)
    return KeysetPage(items=items, next_cursor=next_cursor, is_first=values is None, size=size)


def cursor_after(row, *, order: tuple[str, ...]) -> str:
    """The signed cursor of the page that starts after `row` in `order`."""
    key = [_encode(_value(row, term.lstrip("-"))) for term in order]
    return signing.dumps(json.dumps(key), salt=SALT)


def _encode(value):
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    return value


def _decode(value):
    if isinstance(value, dict) and "dt" in value:
        return datetime.fromisoformat(value["dt"])
    return value

"""Maintained counters: add to many rows' numbers in one statement (insert the rows that are missing), so a
page reads a count instead of counting. Used inside the transaction of the change being counted."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connection, models


def add_to_counters(model: type[models.Model], key: str, deltas: Mapping[object, Mapping[str, float]]) -> None:
    """For each key value, add each delta to its field (a missing row starts at the deltas): one upsert.
    `key` is the model's unique column (its primary key or a unique field)."""
    rows = {k: {f: v for f, v in fields.items() if v} for k, fields in deltas.items()}
    rows = {k: fields for k, fields in rows.items() if fields}
    if not rows:
        return
    key_field = model._meta.get_field(key)
    # Every other counter of the model goes into a new row too, at zero (they have no database default).
    fields = [f.name for f in model._meta.concrete_fields if f is not key_field and f.has_default()]
    changed = sorted({f for values in rows.values() for f in values})
    table = model._meta.db_table
    columns = [model._meta.get_field(f).column for f in fields]
    placeholders = ", ".join("(" + ", ".join(["%s"] * (len(fields) + 1)) + ")" for _ in rows)
    params = [item for k, values in rows.items() for item in (k, *(values.get(f, 0) for f in fields))]
    key_column = key_field.column
    updates = ", ".join(
        f"{model._meta.get_field(f).column} = {table}.{model._meta.get_field(f).column} + "
        f"excluded.{model._meta.get_field(f).column}"
        for f in changed
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {', '.join(columns)}) VALUES {placeholders} "  # noqa: S608
            f"ON CONFLICT ({key_column}) DO UPDATE SET {updates}",
            params,
        )

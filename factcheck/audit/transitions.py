"""Guarded status changes: a model declares which status may follow which (``TRANSITIONS = {field: {from:
{to, ...}}}``), and ``transition()`` is the one way to move a row along it, writing the audit event with it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from .services import Ref, record


class TransitionNotAllowed(ValidationError):
    pass


def allowed(model: type[models.Model], field: str, current: str, to: str) -> bool:
    return to in model.TRANSITIONS[field].get(current, ())


def sources(model: type[models.Model], field: str, to: str) -> list[str]:
    """Every status from which `to` may be reached."""
    return [current for current, following in model.TRANSITIONS[field].items() if to in following]


def _label(model: type[models.Model], field: str, value: str) -> str:
    choices = dict(model._meta.get_field(field).choices or ())
    return str(choices.get(value, value or "new")).lower()


def transition(
    obj: models.Model,
    *,
    to: str,
    by,
    field: str = "status",
    action: str = "",
    target: models.Model | Ref | None = None,
    parent: models.Model | Ref | None = None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    values: dict | None = None,
) -> bool:
    """Move `obj` from its current status to `to` if the model's table allows it, and record who did it.

    The update is conditional on the status the caller saw, so of two racing callers only one moves the row;
    the other gets False and writes nothing. `values` are other fields set in the same UPDATE. Raises
    TransitionNotAllowed (a ValidationError, with a message for people) when the table forbids the move.
    """
    model = type(obj)
    current = getattr(obj, field)
    if not allowed(model, field, current, to):
        raise TransitionNotAllowed(
            f"This {model._meta.verbose_name} is {_label(model, field, current)}; "
            f"it cannot become {_label(model, field, to)}."
        )
    values = dict(values or {})
    updated = model._default_manager.filter(pk=obj.pk, **{field: current}).update(**{field: to}, **values)
    if not updated:
        return False
    setattr(obj, field, to)
    for name, value in values.items():
        setattr(obj, name, value)
    record(
        action or f"{model._meta.model_name}.{to}",
        target if target is not None else obj,
        actor=by,
        parent=parent,
        before={field: current, **(before or {})},
        after={field: to, **(after or {})},
        note=note,
    )
    return True

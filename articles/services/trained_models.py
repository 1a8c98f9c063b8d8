"""Storing a newly trained model (check-worthiness scorer, claim matcher) as a version and making it active.

Both model tables have the same shape: a unique ``version``, a ``payload``, ``metrics``, ``source``,
``trained_by`` and one row with ``is_active``. The rules for storing one are kept here once.
"""

from __future__ import annotations

from django.db import models, transaction


def free_version(model_class: type[models.Model], version: str) -> str:
    """``version``, or ``version-2``, ``-3``… when taken: default versions have one-second resolution, so two
    trainings on the same data can collide."""
    taken = set(model_class.objects.filter(version__startswith=version).values_list("version", flat=True))
    if version not in taken:
        return version
    n = 2
    while f"{version}-{n}" in taken:
        n += 1
    return f"{version}-{n}"


def trained_model_store(model_class: type[models.Model], trained, *, activate: bool, **fields) -> models.Model:
    """Store ``trained`` (anything with ``version``, ``metrics`` and ``to_bytes()``) under a free version, which it
    then carries in its payload too; with ``activate``, it replaces the active model atomically."""
    with transaction.atomic():
        if activate:
            # Lock the active row so two trainings finishing together activate one after the other.
            list(model_class.objects.select_for_update().filter(is_active=True).values_list("pk", flat=True))
            model_class.objects.filter(is_active=True).update(is_active=False)
        trained.version = free_version(model_class, trained.version)
        return model_class.objects.create(
            version=trained.version,
            metrics=trained.metrics,
            payload=trained.to_bytes(),
            is_active=activate,
            **fields,
        )

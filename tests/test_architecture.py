"""Rules of the layout that import-linter cannot express (.importlinter holds the others)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Where reads and writes live: they return data or raise ValidationError/PermissionDenied, never responses.
BELOW_VIEWS = [
    "articles/services",
    "articles/selectors",
    "reviews/services",
    "reviews/selectors",
    "reviews/publishing/services.py",
    "reviews/publishing/selectors.py",
    "factcheck/accounts/services.py",
    "factcheck/accounts/selectors.py",
    "factcheck/audit",
]
HTTP_MODULES = ("django.http", "django.shortcuts", "django.template", "django.urls")


def python_files(relative: str):
    path = ROOT / relative
    return [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("relative", BELOW_VIEWS)
def test_services_and_selectors_never_speak_http(relative):
    files = python_files(relative)
    assert files, f"{relative} has no Python files: the layout moved; update this test"
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if m.startswith(HTTP_MODULES))
        for path in files
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_every_model_with_a_status_declares_its_transitions_and_they_name_real_statuses():
    from articles.models import ImportJob, Statement
    from reviews.models import Assignment, Report

    for model, field in [
        (ImportJob, "status"),
        (Assignment, "status"),
        (Report, "status"),
        (Statement, "review_status"),
    ]:
        table = model.TRANSITIONS[field]
        statuses = {value for value, _ in model._meta.get_field(field).choices}
        assert set(table) == statuses, model
        assert set().union(*table.values()) <= statuses, model

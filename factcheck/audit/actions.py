"""What each audit action is called on a page, and how its details read. Apps register their own actions
(in their AppConfig.ready), so this module knows no app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Describe = Callable[[dict, dict], str]


@dataclass(frozen=True)
class Action:
    label: str
    describe: Describe | None = None  # (before, after) -> the details shown after the label


_ACTIONS: dict[str, Action] = {}


def register(actions: dict[str, Action]) -> None:
    _ACTIONS.update(actions)


def label(action: str) -> str:
    known = _ACTIONS.get(action)
    return known.label if known else action.replace(".", " ").replace("_", " ").capitalize()


def details(action: str, before: dict, after: dict) -> str:
    known = _ACTIONS.get(action)
    if known and known.describe:
        return known.describe(before or {}, after or {})
    return ""


def change(key: str, labels: Callable[[str], str] = str) -> Describe:
    """Details as 'old → new' for one key of before/after (or just the new value)."""

    def describe(before: dict, after: dict) -> str:
        old, new = before.get(key), after.get(key)
        if old and new and old != new:
            return f"{labels(old)} → {labels(new)}"
        return labels(new or old) if (new or old) else ""

    return describe

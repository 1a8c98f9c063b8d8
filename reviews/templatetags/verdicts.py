from django import template
from django.utils.html import format_html

from reviews import verdicts

register = template.Library()


@register.filter
def verdict_label(value: str) -> str:
    return verdicts.label(value or verdicts.PENDING)


@register.simple_tag
def verdict_badge(value: str):
    value = value or verdicts.PENDING
    return format_html('<span class="badge verdict-{}">{}</span>', value, verdicts.label(value))


@register.filter
def percent(value: float) -> int:
    return round((value or 0) * 100)


@register.filter
def percent_of(part: int, whole: int) -> int:
    """`part` as a whole percentage of `whole` (0 when there is nothing to divide)."""
    return round(100 * (part or 0) / whole) if whole else 0

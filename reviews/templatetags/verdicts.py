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

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def in_minutes(value) -> str:
    """A timedelta as "15 minutes" (rounded up), for messages people read."""
    if not isinstance(value, timedelta):
        return ""
    minutes = max(1, -(-int(value.total_seconds()) // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"

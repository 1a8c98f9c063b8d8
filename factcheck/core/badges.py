"""A status as a coloured badge: the one place that turns a tone into Bootstrap classes."""

from django.utils.html import format_html

TONES = {
    "success": "text-bg-success",
    "warning": "text-bg-warning",
    "danger": "text-bg-danger",
    "info": "text-bg-info",
    "primary": "text-bg-primary",
    "muted": "text-bg-secondary",
    "plain": "text-bg-light border",
}


def badge(label: str, tone: str, *, title: str = ""):
    """A Bootstrap badge; `tone` is one of TONES (unknown tones read as muted)."""
    if title:
        return format_html('<span class="badge {}" title="{}">{}</span>', TONES.get(tone, TONES["muted"]), title, label)
    return format_html('<span class="badge {}">{}</span>', TONES.get(tone, TONES["muted"]), label)

"""Per-row pieces of the reviewer's queue, computed once per page where the template language would redo them
for every row: with 16 clients the queue's Python time per request was what kept its p95 over target."""

from django import template
from django.urls import reverse
from django.utils.dateformat import DateFormat
from django.utils.html import format_html
from django.utils.timezone import template_localtime

register = template.Library()

# A pk no real assignment has: reversed once per page, then swapped for each row's pk.
_PK_PLACEHOLDER = 987654321987654321


@register.simple_tag(takes_context=True)
def assignment_url(context, pk: int) -> str:
    """`{% url 'reviews:assignment_detail' pk %}`, reversed once per page instead of once per row."""
    key = "queue_rows.assignment_url"
    pattern = context.render_context.get(key)
    if pattern is None:
        pattern = reverse("reviews:assignment_detail", args=[_PK_PLACEHOLDER]).replace(str(_PK_PLACEHOLDER), "{}")
        context.render_context[key] = pattern
    return pattern.format(int(pk))


@register.simple_tag(takes_context=True)
def due_time(context, due_at):
    """The due date as `<time datetime="ISO">Mon 1 Jan, 09:00</time>`, as the `date` filter would write both
    (in the current time zone), from one time-zone conversion instead of two."""
    local = DateFormat(template_localtime(due_at, use_tz=context.use_tz))
    return format_html('<time datetime="{}">{}</time>', local.format("c"), local.format("D j M, H:i"))

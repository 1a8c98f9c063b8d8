"""The reviewer choices of a reassign select."""

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def reassign_options(context, candidates, exclude):
    """The <option>s of a reassign select: every candidate (`reviewers_with_room`) but `exclude`, the
    assignment's own reviewer; those at capacity disabled. Each candidate's option is rendered once per page and
    reused by every row: the overdue page has a select per row, and rendering every reviewer in the template
    for each row was most of that page's time (25 rows × 60 reviewers, ~65 ms)."""
    key = ("reassign_options", id(candidates))
    rendered = context.render_context.get(key)
    if rendered is None or rendered[0] is not candidates:
        options = [
            (
                reviewer.pk,
                format_html(
                    '<option value="{}"{}>{} ({} of {} open)</option>',
                    reviewer.pk,
                    " disabled" if reviewer.open_count >= reviewer.capacity else "",
                    reviewer.username,
                    localize(reviewer.open_count, use_l10n=context.use_l10n),
                    localize(reviewer.capacity, use_l10n=context.use_l10n),
                ),
            )
            for reviewer in candidates
        ]
        rendered = (candidates, options)  # the list is kept so its id is not reused while cached
        context.render_context[key] = rendered
    chosen = "".join(option for pk, option in rendered[1] if pk != exclude)
    return mark_safe(chosen)  # noqa: S308 - every option went through format_html

"""The desk overview's two per-reviewer tables, each row formatted in Python: a {% for %} over every desk
reviewer (60 at the 1M desk) resolving a dozen variables and filters a row was a third of the page's Python
time, and with 16 clients that time is what kept its p95 over target. The cells read exactly as the
template's `{{ }}` would write them (localised numbers, `floatformat`, the `percent` filter)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .verdicts import percent

register = template.Library()

_NO_FIGURE = "—"


def _name(user) -> str:
    return user.get_full_name() or user.username


@register.simple_tag(takes_context=True)
def workload_rows(context, reviewers):
    """The Reviewers table's rows: name, open and done assignments."""
    use_l10n = context.use_l10n
    rows = format_html_join(
        "",
        '<tr><td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td></tr>',
        (
            (_name(r), localize(r.open_count, use_l10n=use_l10n), localize(r.done_count, use_l10n=use_l10n))
            for r in reviewers
        ),
    )
    return rows or mark_safe('<tr><td colspan="3" class="text-secondary">No reviewers yet.</td></tr>')


@register.simple_tag(takes_context=True)
def reviewer_agreement_rows(context, summaries):
    """The agreement table's rows, one per reviewer's team summary: ratings, agreement with final verdicts and
    median time to rate, a dash where there is no figure yet."""
    use_l10n = context.use_l10n

    def cells(summary):
        agreement = summary.agreement_with_consensus
        hours = summary.median_hours_to_rate
        return (
            _name(summary.reviewer),
            localize(summary.rating_count, use_l10n=use_l10n),
            format_html("{}%", localize(percent(agreement), use_l10n=use_l10n))
            if agreement is not None
            else _NO_FIGURE,
            format_html("{} h", floatformat(hours, 1)) if hours is not None else _NO_FIGURE,
        )

    rows = format_html_join(
        "",
        '<tr><td>{}</td><td class="text-end">{}</td><td class="text-end">{}</td><td class="text-end">{}</td></tr>',
        (cells(summary) for summary in summaries),
    )
    return rows or mark_safe('<tr><td colspan="4" class="text-secondary">No ratings yet.</td></tr>')

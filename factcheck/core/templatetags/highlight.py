from django import template

from ..highlight import highlight_html

register = template.Library()


@register.filter
def highlighted(snippet) -> str:
    """A search snippet, escaped, with its matched words marked."""
    return highlight_html(snippet)

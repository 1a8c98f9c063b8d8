from django import template
from django.urls import reverse

from ..links import http_url as _http_url

register = template.Library()

# Stands in for the id while a URL is reversed once; no route holds this number otherwise.
_PK_MARKER = 918_273_645_546_372_819


@register.filter
def http_url(value) -> str:
    """The value if it is an http(s) link, else "": templates link only what passes."""
    return _http_url(value)


@register.simple_tag(takes_context=True)
def pk_url(context, viewname: str, pk) -> str:
    """`{% url viewname pk %}` for a route whose one argument is an id, reversed once per template render and
    filled in for each row: a long list's rows reversing each of their links was a good part of its Python
    time (the article page has four such links per statement)."""
    key = ("pk_url", viewname)
    head_tail = context.render_context.get(key)
    if head_tail is None:
        head_tail = reverse(viewname, args=[_PK_MARKER]).split(str(_PK_MARKER))
        context.render_context[key] = head_tail
    head, tail = head_tail
    return f"{head}{int(pk)}{tail}"

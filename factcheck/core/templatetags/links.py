from django import template

from ..links import http_url as _http_url

register = template.Library()


@register.filter
def http_url(value) -> str:
    """The value if it is an http(s) link, else "": templates link only what passes."""
    return _http_url(value)

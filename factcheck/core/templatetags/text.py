import unicodedata

from django import template
from django.template.defaultfilters import truncatechars

register = template.Library()


@register.filter(is_safe=True)
def shorten(value, length) -> str:
    """truncatechars's very result, without its character-by-character walk (about 0.1 ms a call, which made
    a list page's 50 statements cost several milliseconds) when the text is no longer than `length` anyway:
    fewer code points than `length` can never need cutting."""
    text = unicodedata.normalize("NFC", str(value))
    if len(text) <= int(length):
        return text
    return truncatechars(text, length)

"""The rating page's crispy fields, rendered once per process while they are blank.

A blank, unbound field (a new rating's rationale, the empty evidence rows) renders to the same HTML on every
request, yet crispy-forms walks about ten templates per field to write it: on the rating page that was a fifth of
its Python time. Such fields are rendered by crispy-forms once and the HTML kept; a field with a value, errors or
data (a saved rating, a form sent back with mistakes) is rendered by crispy-forms every time."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template

register = template.Library()

# Only blank fields are kept, so there are only as many entries as field names the page can show.
_blank_fields: dict[tuple, str] = {}


def _blank_key(field) -> tuple | None:
    """What a blank field's HTML depends on, or None when the field is not blank and unbound."""
    if field.form.is_bound or field.errors or field.value() not in (None, ""):
        return None
    try:
        attrs = frozenset(field.field.widget.attrs.items())
        return (
            type(field.form),
            type(field.field.widget),
            field.html_name,
            field.auto_id,
            field.label,
            field.help_text,
            field.field.required,
            field.field.disabled,
            field.form.use_required_attribute,
            attrs,
        )
    except TypeError:  # an unhashable widget attribute: render it every time
        return None


@register.filter
def as_crispy_field_kept(field):
    """`field|as_crispy_field`, from the kept HTML when the field is blank and unbound."""
    key = _blank_key(field)
    if key is None:
        return as_crispy_field(field)
    html = _blank_fields.get(key)
    if html is None:
        html = _blank_fields[key] = as_crispy_field(field)
    return html


_management_forms: dict[tuple, str] = {}


@register.filter
def management_form_kept(formset):
    """`{{ formset.management_form }}`: the hidden counts of an unbound formset depend only on its prefix and
    counts, so their HTML (four hidden inputs through Django's form templates) is rendered once per set of counts
    and kept; a formset sent back is rendered from its data every time."""
    form = formset.management_form
    if formset.is_bound:
        return form.render()
    key = (type(formset), formset.prefix, tuple(sorted(form.initial.items())))
    html = _management_forms.get(key)
    if html is None:
        html = _management_forms[key] = form.render()
    return html

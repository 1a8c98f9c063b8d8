"""A form field in crispy-forms' Bootstrap 5 markup, written in Python rather than through its templates."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ..forms import PlainSelect

register = template.Library()

# Widgets whose crispy markup differs from "label, control, errors, help": left to crispy itself.
_CRISPY_ONLY = (
    forms.CheckboxInput,
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
)


@register.filter
def bootstrap_field(field: forms.BoundField) -> SafeString:
    """What `field|as_crispy_field` writes for a text-like input or a select of a form without a crispy
    helper, the same elements and attributes without its dozen nested templates: the search page's filter
    form cost a fifth of that page's Python time through them. Any other field goes to crispy."""
    widget = field.field.widget
    if (
        getattr(field.form, "helper", None) is not None
        or field.is_hidden
        or isinstance(widget, _CRISPY_ONLY)
        or hasattr(widget, "widget")
    ):
        return as_crispy_field(field)
    required = field.field.required
    label = ""
    if field.label:
        label = format_html(
            '<label{} class="form-label{}">{}{}</label>',
            format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
            " requiredField" if required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if required else "",
        )
    # The control's classes as crispy's crispy_field tag sets them on the widget.
    class_name = widget.__class__.__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if not css_class:
        css_class = class_name
    elif class_name not in css_class:
        css_class += f" {class_name}"
    bootstrap = ["form-select" if isinstance(widget, forms.Select) else "form-control"]
    if field.errors:
        bootstrap.append("is-invalid")
    classes = css_class.split()
    css_class += "".join(f" {name}" for name in bootstrap if name not in classes)
    widget.attrs["class"] = css_class
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.errors.field_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div {}class="form-text">{}</div>',
            format_html('id="{}_helptext" ', field.auto_id) if field.auto_id else "",
            mark_safe(field.help_text),  # noqa: S308 - as crispy writes it (|safe): help texts are the app's own
        )
    if type(widget) is forms.Select:
        # Django's <select> markup without a template include per option.
        control = field.as_widget(widget=PlainSelect(attrs=widget.attrs, choices=widget.choices))
    else:
        control = str(field)
    css_classes = field.css_classes()
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}</div>',
        field.auto_id,
        f" {css_classes}" if css_classes else "",
        label,
        control,
        errors,
        help_text,
    )

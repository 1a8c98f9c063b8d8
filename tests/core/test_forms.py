"""PlainSelect writes the markup Django's select templates write, without a template per option; bootstrap_field
writes what crispy's as_crispy_field writes, without its templates."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html

from factcheck.core.forms import PlainSelect
from factcheck.core.templatetags.plain_fields import bootstrap_field
from reviews.forms import SearchForm

CHOICES = [("", "Anyone"), (3, "ana <b>"), (7, 'bo "x"'), ("Group", [("a", "A & B"), ("b", "B")])]


def test_plain_select_writes_what_the_templates_write_option_for_option():
    for value in (None, 3, "3", "a"):
        attrs = {"id": "id_reviewer", "class": "form-select", "required": True, "disabled": False}
        plain = PlainSelect(choices=CHOICES).render("reviewer", value, attrs=attrs)
        templated = forms.Select(choices=CHOICES).render("reviewer", value, attrs=attrs)
        assert str(plain) == str(templated)
    assert 'value="3" selected>ana &lt;b&gt;</option>' in str(PlainSelect(choices=CHOICES).render("r", 3))


class FieldsForm(forms.Form):
    error_css_class = "has-error"
    required_css_class = "needed"

    name = forms.CharField(max_length=20, help_text="Your <em>full</em> name.")
    kind = forms.ChoiceField(required=False, choices=[("", "Any"), ("a", "A & B")], label="Kind <x>")
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "note"}))
    agree = forms.BooleanField(required=False)
    pick = forms.ChoiceField(required=False, choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data",
    [None, {"name": "Ana", "kind": "a", "when": "2024-05-01"}, {"name": "", "kind": "zzz", "when": "no date"}],
    ids=["unbound", "valid", "errors"],
)
def test_bootstrap_field_writes_what_crispy_writes(data):
    # Each side renders its own form: crispy sets classes on the widget it renders.
    plain_form, crispy_form = FieldsForm(data), FieldsForm(data)
    if data is not None:
        assert plain_form.is_valid() == crispy_form.is_valid() == (data["kind"] == "a")
    for name in plain_form.fields:
        plain, crispy = bootstrap_field(plain_form[name]), as_crispy_field(crispy_form[name])
        assert parse_html(plain) == parse_html(crispy), name


def test_search_form_fields_write_what_crispy_writes():
    data = {"q": "vaccines", "kind": "articles", "state": "settled", "date_from": "not a date"}
    plain_form = SearchForm(data, kinds=("statements", "articles"), desk_filters=True)
    crispy_form = SearchForm(data, kinds=("statements", "articles"), desk_filters=True)
    assert not plain_form.is_valid() and not crispy_form.is_valid()
    for name in plain_form.fields:
        assert parse_html(bootstrap_field(plain_form[name])) == parse_html(as_crispy_field(crispy_form[name])), name

"""PlainSelect writes the markup Django's select templates write, without a template per option."""

from django import forms

from factcheck.core.forms import PlainSelect

CHOICES = [("", "Anyone"), (3, "ana <b>"), (7, 'bo "x"'), ("Group", [("a", "A & B"), ("b", "B")])]


def test_plain_select_writes_what_the_templates_write_option_for_option():
    for value in (None, 3, "3", "a"):
        attrs = {"id": "id_reviewer", "class": "form-select", "required": True, "disabled": False}
        plain = PlainSelect(choices=CHOICES).render("reviewer", value, attrs=attrs)
        templated = forms.Select(choices=CHOICES).render("reviewer", value, attrs=attrs)
        assert str(plain) == str(templated)
    assert 'value="3" selected>ana &lt;b&gt;</option>' in str(PlainSelect(choices=CHOICES).render("r", 3))

"""The publish page's form; it validates input, the publishing services do the work."""

from django import forms

from .services import HEADLINE_MAX


class ReportForm(forms.Form):
    headline = forms.CharField(
        max_length=HEADLINE_MAX,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": "Give the report a headline."},
    )
    summary = forms.CharField(
        required=False,
        label="Introduction",
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text="What readers read first: what was checked and what the desk found. Plain text.",
    )

"""Small forms for the curation endpoints; they validate input, the services in curation.py do the work."""

from django import forms

from .models import Statement


class StatementTextForm(forms.Form):
    text = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text="What reviewers will see. The link to the article text stays on the original sentence.",
    )


class StatementSplitForm(forms.Form):
    at = forms.IntegerField(
        min_value=1,
        label="Split point",
        error_messages={"required": "Choose where to split the statement."},
    )


class StatementMarkForm(forms.Form):
    checkability = forms.ChoiceField(
        choices=[
            (Statement.Checkability.CHECKABLE, Statement.Checkability.CHECKABLE.label),
            (Statement.Checkability.NOT_CHECKABLE, Statement.Checkability.NOT_CHECKABLE.label),
        ],
        error_messages={
            "required": "Choose checkable or not checkable.",
            "invalid_choice": "Choose checkable or not checkable.",
        },
    )

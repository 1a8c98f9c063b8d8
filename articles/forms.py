"""Forms of the articles pages; they validate input, the services do the work."""

from django import forms
from django.conf import settings

from factcheck.core.forms import CrispyForm
from factcheck.core.links import http_url

from .models import Statement


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        # An empty file is recorded as a failed import item with a clear reason, not refused with the batch.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ImportForm(CrispyForm):
    files = MultipleFileField(
        required=False,
        help_text=".txt, .html, .json, .jsonl, .csv or .zip; several at once.",
    )
    urls = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://example.com/news/story\n..."}),
        label="URLs",
        help_text="One article URL per line.",
    )

    def clean_urls(self):
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        bad = [line for line in lines if not http_url(line)]
        if bad:
            raise forms.ValidationError(f"Only http(s) URLs can be imported; check: {', '.join(bad[:3])}")
        return lines

    def clean(self):
        data = super().clean()
        if not data.get("files") and not data.get("urls") and not self.errors:
            raise forms.ValidationError("Choose at least one file or paste at least one URL.")
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        for f in data.get("files") or []:
            if f.size > limit:
                self.add_error("files", f"{f.name} is larger than the {limit // (1024 * 1024)} MB limit.")
        return data


class FeedForm(CrispyForm):
    url = forms.URLField(label="Feed URL", assume_scheme="https", max_length=2000)
    title = forms.CharField(required=False, max_length=300, help_text="Optional; a name for the desk.")
    interval_minutes = forms.IntegerField(min_value=5, max_value=7 * 24 * 60, initial=60, label="Check every (minutes)")


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

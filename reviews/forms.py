from django import forms
from django.core.exceptions import ValidationError

from factcheck.core.forms import CrispyForm
from factcheck.core.links import http_url

from .models import VERDICT_CHOICES
from .selectors.search import STATES as SEARCH_STATES
from .verdicts import Verdict


class RatingForm(CrispyForm):
    verdict = forms.ChoiceField(choices=VERDICT_CHOICES, widget=forms.RadioSelect)
    confidence = forms.TypedChoiceField(
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text="1 = a guess, 5 = certain.",
    )
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why this verdict? Required unless the statement is not checkable.",
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("verdict")
            and data["verdict"] != Verdict.NOT_CHECKABLE
            and not (data.get("rationale") or "").strip()
        ):
            self.add_error("rationale", "Explain your verdict (only 'Not checkable' may leave this empty).")
        return data


def validate_http_url(value: str) -> None:
    if value and not http_url(value):
        raise ValidationError("Give an http:// or https:// address.", code="not_http")


class EvidenceForm(CrispyForm):
    url = forms.URLField(
        required=False,
        label="Evidence URL",
        assume_scheme="https",
        validators=[validate_http_url],
    )
    note = forms.CharField(required=False, max_length=500, label="What it shows")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.disable_csrf = True

    def clean(self):
        data = super().clean()
        if data.get("note") and not data.get("url"):
            self.add_error("url", "Add the link this note is about.")
        return data


EvidenceFormSet = forms.formset_factory(EvidenceForm, extra=2, max_num=20, validate_max=True)


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class AssignForm(forms.Form):
    statements = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    reviewers = ReviewerChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, article, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statements"].queryset = article.statements.all()
        self.fields["reviewers"].queryset = reviewers


class AutoAssignForm(forms.Form):
    per_statement = forms.IntegerField(min_value=1, max_value=10, initial=2, label="Reviewers per statement")
    only_checkable = forms.BooleanField(required=False, initial=True, label="Only statements marked checkable")


class SettleForm(forms.Form):
    verdict = forms.ChoiceField(choices=VERDICT_CHOICES, widget=forms.Select(attrs={"class": "form-select"}))
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        label="Editor's note",
    )


class SearchForm(forms.Form):
    """The search page's query and filters (GET, so a search is a link to share)."""

    q = forms.CharField(required=False, max_length=300, label="Search for")
    kind = forms.ChoiceField(required=False, choices=[], label="Search in")
    state = forms.ChoiceField(
        required=False,
        label="State",
        choices=[("", "Any state")] + [(s, s.capitalize()) for s in SEARCH_STATES],
    )
    verdict = forms.ChoiceField(required=False, label="Verdict", choices=[("", "Any verdict"), *VERDICT_CHOICES])
    site = forms.CharField(required=False, max_length=200, label="Source")
    date_from = forms.DateField(required=False, label="Published from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="Published until", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, kinds: tuple[str, ...], desk_filters: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, kind.capitalize()) for kind in kinds]
        if not desk_filters:
            # Reviewers never filter by a verdict: it would tell them colleagues' verdicts.
            del self.fields["verdict"]

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or self.fields["kind"].choices[0][0]


class ClaimMatchDecideForm(forms.Form):
    """An editor's answer to "same claim as this earlier check?"."""

    decision = forms.ChoiceField(choices=[("confirm", "Same claim"), ("reject", "Not the same claim")])

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone

from articles.selectors.search import searchable
from factcheck.core.forms import CrispyForm, PlainSelect
from factcheck.core.links import http_url

from .models import VERDICT_CHOICES, ArticleSummary, default_due_at
from .selectors.search import STATES as SEARCH_STATES
from .selectors.triage import STATE_LABELS, TriageFilters
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


# Deadlines, capacity and auto-assign ----------------------------------------------------------------------------

MAX_SELECTION = 500


def _local_input(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


class DueAtField(forms.DateTimeField):
    """A due date picked in the browser's date-and-time control, in the desk's time zone."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
        kwargs.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        super().__init__(**kwargs)


class StatementIdsField(forms.Field):
    """Statement ids posted as repeated `statement_ids` values (or one comma-separated value), at most
    MAX_SELECTION of them."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        ids = []
        for item in values:
            for part in str(item).split(","):
                if part.strip():
                    try:
                        ids.append(int(part))
                    except ValueError as exc:
                        raise ValidationError("Statement ids are whole numbers.") from exc
        if len(ids) > MAX_SELECTION:
            raise ValidationError(f"Select at most {MAX_SELECTION} statements at a time.")
        return list(dict.fromkeys(ids))


class AutoAssignPlanForm(CrispyForm):
    """The auto-assign preview's choices (GET), and the same choices confirmed (POST, with the plan's digest)."""

    article = forms.IntegerField(required=False, widget=forms.HiddenInput)
    statement_ids = StatementIdsField(required=False)
    top = forms.IntegerField(min_value=1, initial=20, label="How many statements (top by score)")
    min_score = forms.FloatField(min_value=0, max_value=1, initial=0, label="Minimum score (0–1)")
    only_checkable = forms.BooleanField(required=False, initial=True, label="Only statements marked checkable")
    per_statement = forms.IntegerField(min_value=1, max_value=10, initial=2, label="Reviewers per statement")
    reviewers = ReviewerChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Reviewers",
        help_text="None ticked: everyone on the desk.",
    )
    due_at = DueAtField(label="Due")
    plan = forms.CharField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers
        self.fields["top"].max_value = settings.AUTO_ASSIGN_MAX_STATEMENTS
        self.fields["top"].validators.append(MaxValueValidator(settings.AUTO_ASSIGN_MAX_STATEMENTS))
        self.fields["due_at"].initial = _local_input(default_due_at())


class BulkActionForm(forms.Form):
    """A bulk action on a selection of statements (the desk's lists post it): assign to the ticked reviewers,
    auto-assign (on to its preview), mark not checkable, or set the due date of their open assignments."""

    ACTIONS = [
        ("assign", "Assign to the ticked reviewers"),
        ("auto_assign", "Auto-assign (preview first)"),
        ("not_checkable", "Mark not checkable"),
        ("deadline", "Set the due date"),
    ]
    statement_ids = StatementIdsField(error_messages={"required": "Select at least one statement."})
    action = forms.ChoiceField(choices=ACTIONS)
    reviewers = ReviewerChoiceField(queryset=None, required=False)
    due_at = DueAtField(required=False)
    next = forms.CharField(required=False)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("reviewers"):
            self.add_error("reviewers", "Tick at least one reviewer to assign to.")
        if data.get("action") == "deadline" and not data.get("due_at"):
            self.add_error("due_at", "Choose the new due date.")
        return data


class ReassignForm(forms.Form):
    reviewer = forms.ModelChoiceField(queryset=None, label="Give to")
    due_at = DueAtField(required=False, label="Due", help_text="Empty: the desk default from now.")
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class DueForm(forms.Form):
    due_at = DueAtField(label="Due")
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class CapacityForm(CrispyForm):
    max_open = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=1000,
        label="Capacity (most open assignments)",
        help_text="Auto-assign gives them no more than this. Empty: the desk default.",
    )


class TriageFilterForm(forms.Form):
    """The filters of the desk's statement and article lists (GET, so a filtered list is a link to share).
    Reviewer and feed choices are handed in as (id, name) pairs, read once by the view."""

    STATE_CHOICES = {
        "statements": [("", "Any state"), *STATE_LABELS.items()],
        "articles": [("", "Any state"), *ArticleSummary.State.choices],
    }

    q = forms.CharField(required=False, max_length=300, label="Text")
    state = forms.ChoiceField(required=False, label="State", widget=PlainSelect)
    score_min = forms.FloatField(required=False, min_value=0, max_value=1, label="Score from")
    score_max = forms.FloatField(required=False, min_value=0, max_value=1, label="Score to")
    site = forms.CharField(required=False, max_length=200, label="Source (site name)")
    feed = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Feed", widget=PlainSelect)
    date_from = forms.DateField(required=False, label="Imported from", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="Imported until", widget=forms.DateInput(attrs={"type": "date"}))
    reviewer = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Reviewer", widget=PlainSelect
    )
    checkable = forms.BooleanField(required=False, label="Checkable only")
    due = forms.ChoiceField(
        required=False,
        label="Deadline",
        choices=[("", "Any"), ("overdue", "Overdue"), ("soon", "Overdue or due within a day")],
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(
        required=False, label="Order", choices=[("score", "By score"), ("newest", "Newest first")], widget=PlainSelect
    )

    def __init__(self, *args, kind: str, reviewers, feeds, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["state"].choices = self.STATE_CHOICES[kind]
        self.fields["reviewer"].choices = [("", "Anyone"), *reviewers]
        self.fields["feed"].choices = [("", "Any feed"), *feeds]
        if kind == "articles":
            # Articles are listed newest first, and a deadline belongs to a statement's assignment. An article
            # matches a score range, reviewer or "checkable only" when one of its statements does.
            del self.fields["due"], self.fields["sort"]

    def clean(self):
        data = super().clean()
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and low > high:
            self.add_error("score_max", "The highest score must not be below the lowest; swap the two.")
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date; swap the two.")
        text = (data.get("q") or "").strip()
        if text and not searchable(text):
            self.add_error("q", "These words are too common to search for; add a more specific word.")
        return data

    def filters(self) -> TriageFilters:
        """The valid form's values as the selectors' filters."""
        data = self.cleaned_data
        return TriageFilters(
            text=(data.get("q") or "").strip(),
            state=data.get("state") or "",
            score_min=data.get("score_min"),
            score_max=data.get("score_max"),
            site=(data.get("site") or "").strip(),
            feed_id=data.get("feed"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            reviewer_id=data.get("reviewer"),
            checkable_only=bool(data.get("checkable")),
            due=data.get("due") or "",
        )

    def order(self) -> str:
        return (self.cleaned_data.get("sort") or "score") if self.kind == "statements" else ""


class ClaimMatchDecideForm(forms.Form):
    """An editor's answer to "same claim as this earlier check?"."""

    decision = forms.ChoiceField(choices=[("confirm", "Same claim"), ("reject", "Not the same claim")])

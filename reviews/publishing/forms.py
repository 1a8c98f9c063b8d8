"""The report editor's forms: the report (headline, introduction, byline) and a formset of claim rows. They
validate input and hand the publishing services plain values; the services decide what may be published."""

from django import forms

from factcheck.core.forms import CrispyForm

from ..models import ReportClaim
from .services import CLAIM_TEXT_MAX, CLAIMANT_MAX, EXPLANATION_MAX, HEADLINE_MAX, ClaimInput, SourceInput


class ReportForm(CrispyForm):
    headline = forms.CharField(
        max_length=HEADLINE_MAX,
        error_messages={"required": "Give the report a headline."},
    )
    summary = forms.CharField(
        required=False,
        label="Introduction",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What readers read first: what was checked and what the desk found. Plain text.",
    )
    credit_reviewers = forms.BooleanField(
        required=False,
        label="Also name the reviewers",
        help_text="The byline names you, the publishing editor. Ticked, it also names the reviewers whose verdicts "
        "the report carries and who said yes to bylines in My settings.",
    )


def sources_text(sources: list[dict]) -> str:
    """Sources as the editor edits them: one a line, the link then its note."""
    return "\n".join(f"{s['url']} {s.get('note', '')}".strip() for s in sources)


def parse_sources(text: str) -> tuple[SourceInput, ...]:
    sources = []
    for line in (text or "").splitlines():
        url, _, note = line.strip().partition(" ")
        if url:
            sources.append(SourceInput(url=url, note=note.strip()))
    return tuple(sources)


class ClaimForm(forms.Form):
    """One settled statement as the report tells it. Labels are the same on every row; each row is a fieldset
    whose legend names the claim. Its page writes the Bootstrap markup itself (reviews/_claim_form.html):
    an article may have hundreds of claims, and crispy's per-field templates made such a page take seconds."""

    statement = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.CharField(widget=forms.HiddenInput, required=False)
    included = forms.BooleanField(required=False, label="Include this claim in the report")
    claim_text = forms.CharField(
        required=False,
        max_length=CLAIM_TEXT_MAX,
        label="The claim, as readers read it",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    claimant = forms.CharField(
        required=False, max_length=CLAIMANT_MAX, label="Who said it", help_text="A person or an organisation."
    )
    claimant_type = forms.ChoiceField(choices=ReportClaim.ClaimantType.choices, label="Who said it is a")
    appearance_url = forms.CharField(
        required=False,
        max_length=2000,
        label="Where it was said (link)",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )
    appearance_date = forms.DateField(
        required=False, label="When it was said", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    explanation = forms.CharField(
        required=False,
        max_length=EXPLANATION_MAX,
        label="Explanation readers see",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the verdict. A blank line starts a new paragraph.",
    )
    sources = forms.CharField(
        required=False,
        label="Sources",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line: a link, then optionally a space and a note.",
    )

    def claim_input(self) -> ClaimInput:
        data = self.cleaned_data
        return ClaimInput(
            statement_id=data["statement"],
            included=data["included"],
            claim_text=data["claim_text"],
            claimant=data["claimant"],
            claimant_type=data["claimant_type"],
            appearance_url=data["appearance_url"],
            appearance_date=data["appearance_date"],
            explanation=data["explanation"],
            sources=parse_sources(data["sources"]),
            verdict_seen=data["verdict"],
        )


ClaimFormSet = forms.formset_factory(ClaimForm, extra=0, max_num=1000, absolute_max=1000)


def claim_initial(row) -> dict:
    """A claim row's starting values from an EditorClaim (publishing.selectors)."""
    values = row.values
    return {
        "statement": row.statement_id,
        "verdict": row.verdict,
        **{name: values[name] for name in values if name != "sources"},
        "sources": sources_text(values["sources"]),
    }

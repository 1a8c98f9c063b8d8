from django import forms

from factcheck.core.forms import CrispyForm

from .models import ApiToken


class TokenForm(CrispyForm):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        label="Token name",
        help_text="Where you will use it, e.g. “CMS plugin” or “newsroom dashboard”.",
    )


class BylineForm(CrispyForm):
    named_in_bylines = forms.BooleanField(
        required=False,
        label="Name me in the bylines of published fact-checks",
        help_text="When an editor credits reviewers, a report then names you if it carries a verdict you gave. "
        "Untick it any time: your name leaves every published report at once.",
    )

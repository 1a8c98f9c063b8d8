from django import forms

from factcheck.core.forms import CrispyForm

from .models import ApiToken


class TokenForm(CrispyForm):
    name = forms.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        label="Token name",
        help_text="Where you will use it, e.g. “CMS plugin” or “newsroom dashboard”.",
    )

"""Team page forms; they validate input, services.py does the work (and the password rules)."""

from django import forms

from factcheck.core.forms import CrispyForm

from .roles import Role
from .selectors import USERNAME_MAX

ROLE_CHOICES = [
    (Role.REVIEWER.value, "Reviewer — rates the statements assigned to them"),
    (Role.EDITOR.value, "Editor — assigns, settles, curates and publishes"),
    (Role.ADMIN.value, "Admin — everything an editor does, plus imports, feeds and the team"),
]


class _NewPasswordMixin(forms.Form):
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not only digits, not a common password, not like the username.",
    )
    password_confirm = forms.CharField(
        strip=False, label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_confirm") and data["password"] != data["password_confirm"]:
            self.add_error("password_confirm", "The two passwords differ; type the same password twice.")
        return data


class MemberCreateForm(_NewPasswordMixin, CrispyForm):
    username = forms.CharField(
        max_length=USERNAME_MAX,
        help_text="What they log in with: letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    full_name = forms.CharField(required=False, max_length=150, label="Full name")
    email = forms.EmailField(required=False)
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.REVIEWER.value, widget=forms.RadioSelect)
    field_order = ["username", "full_name", "email", "role", "password", "password_confirm"]


class MemberRoleForm(CrispyForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect)


class MemberPasswordForm(_NewPasswordMixin, CrispyForm):
    pass

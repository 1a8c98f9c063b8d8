"""The base of the app's crispy forms: the page writes the <form> tag (and its CSRF token) itself, so one
page can hold several forms and formsets."""

from crispy_forms.helper import FormHelper
from django import forms


class CrispyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

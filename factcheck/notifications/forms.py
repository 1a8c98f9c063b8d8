from django import forms

from factcheck.core.forms import CrispyForm

from .models import Delivery


class PreferenceForm(CrispyForm):
    delivery = forms.ChoiceField(
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        label="How do you want to be told?",
        help_text="Every notice also shows under Notifications in the app.",
    )

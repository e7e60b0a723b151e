from django import forms
from django.utils import timezone

from config import dates
from config.govuk import GovukDateField, GovukForm


class PupilSearchForm(GovukForm):
    q = forms.CharField(
        label="Name or UPN",
        required=False,
        max_length=100,
        help_text="Legal or preferred name, or part of one, or the 13-character UPN",
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2014",
        earliest=dates.earliest_birth, latest=timezone.localdate,
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("q") and not cleaned.get("date_of_birth"):
            raise forms.ValidationError("Enter a name, a UPN or a date of birth to search for")
        return cleaned


class AccessLogSearchForm(GovukForm):
    upn = forms.CharField(
        label="Pupil's UPN",
        max_length=13,
        error_messages={"required": "Enter the pupil's UPN"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )

    def clean_upn(self):
        from pupils.models import validate_upn

        upn = self.cleaned_data["upn"].strip().upper()
        validate_upn(upn)
        return upn

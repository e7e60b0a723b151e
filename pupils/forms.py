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

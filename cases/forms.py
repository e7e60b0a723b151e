from django import forms

from cases.models import ContactKind
from config.govuk import GovukDateField, GovukForm


class AllocateForm(GovukForm):
    caseworker = forms.ModelChoiceField(
        label="Caseworker",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the caseworker to allocate the referral to"},
    )

    def __init__(self, caseworkers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers
        self.fields["caseworker"].label_from_instance = lambda user: user.full_name


class ContactForm(GovukForm):
    date = GovukDateField(label="Date of the contact")
    kind = forms.ChoiceField(
        label="Type of contact",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of contact"},
    )
    participants = forms.CharField(
        label="Who took part",
        max_length=300,
        error_messages={"required": "Enter who took part"},
    )
    with_parent = forms.BooleanField(label="The parent or carer took part", required=False)
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        min_value=1,
        max_value=600,
        error_messages={
            "required": "Enter how long the contact lasted",
            "invalid": "Enter the duration as a number of minutes, like 45",
            "min_value": "The duration must be at least 1 minute",
            "max_value": "The duration must be 600 minutes or fewer",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter notes of the contact"},
    )

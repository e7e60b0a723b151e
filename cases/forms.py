from django import forms

from cases.models import ClosureReason, ContactKind
from cases.services import ACTION_MAX_LENGTH
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
        self.fields["caseworker"].label_from_instance = _with_caseload


def _with_caseload(user) -> str:
    """A caseworker with their open cases, so the manager balances the team's caseloads."""
    count = getattr(user, "open_cases", None)
    if count is None:
        return user.full_name
    return f"{user.full_name} ({count} open case{'' if count == 1 else 's'})"


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


class ActionForm(GovukForm):
    description = forms.CharField(
        label="Action agreed",
        max_length=ACTION_MAX_LENGTH,
        error_messages={
            "required": "Enter the action agreed",
            "max_length": f"The action must be {ACTION_MAX_LENGTH} characters or fewer",
        },
    )
    owner = forms.ModelChoiceField(
        label="Who will do it",
        queryset=None,
        error_messages={"required": "Select who will do it"},
    )
    due_date = GovukDateField(label="Due by")

    def __init__(self, people, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda user: user.full_name


class MeetingForm(GovukForm):
    date = GovukDateField(label="Date of the meeting")
    attendees = forms.CharField(
        label="Who attended",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter who attended"},
    )
    virtual_school_attended = forms.BooleanField(
        label="The virtual school attended", required=False
    )
    next_steps = forms.CharField(
        label="Agreed next steps",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the next steps agreed"},
    )


class CloseForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason for closing the case"},
    )
    note = forms.CharField(
        label="More detail (needed for Other)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    risk_continues = forms.TypedChoiceField(
        label="Does the risk of exclusion continue?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the risk of exclusion continues"},
    )


class ReopenForm(GovukForm):
    reason = forms.CharField(
        label="Why is the case reopened?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the case is reopened"},
    )


class EvaluationForm(GovukForm):
    rating = forms.TypedChoiceField(
        label="How satisfied were you with the service? (5 is very satisfied)",
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    answers = forms.CharField(
        label="Anything you would like to tell us", required=False, widget=forms.Textarea
    )


class ReviewForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("continue", "Continue the work"), ("close", "Close")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select continue or close"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to continue",
    )

from django import forms

from config.govuk import GovukDateField, GovukForm, QuickSelect
from exclusions.models import Kind, OutcomeKind, PanelDecision, ReasonCode, SupportStage


def _text(label, *, required=True, message=None, rows=3):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"Enter {label[0].lower() + label[1:]}"},
    )


class NotifyForm(GovukForm):
    kind = forms.ChoiceField(
        label="Suspension or permanent exclusion?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select suspension or permanent exclusion"},
    )
    start_date = GovukDateField(label="First day")
    sessions = forms.IntegerField(
        label="Length of a suspension, in sessions (half days)",
        help_text="A day is 2 sessions; a lunchtime counts as half a day. Leave empty for a "
        "permanent exclusion.",
        required=False, min_value=1, max_value=90,
        error_messages={"invalid": "Enter the length as a number of sessions, like 6",
                        "min_value": "The length must be at least 1 session"},
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )  # fmt: skip
    reasons = forms.ModelMultipleChoiceField(
        label="Reasons (up to three)",
        queryset=ReasonCode.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select one, two or three reasons"},
    )
    description = _text("What happened", message="Enter what happened", rows=5)
    misses_public_exam = forms.BooleanField(
        label="The pupil will miss a public examination or national test", required=False
    )
    parents_told_on = GovukDateField(
        label="When were the parents told?", error_name="the date the parents were told"
    )
    parents_told_how = forms.CharField(
        label="How were the parents told?", max_length=100,
        error_messages={"required": "Enter how the parents were told"},
    )  # fmt: skip
    work_set = _text("Work set for the first five school days", required=False)
    virtual_school_contacted_on = GovukDateField(
        label="When was the virtual school head contacted? (looked-after pupils)", required=False,
        error_name="the date the virtual school head was contacted",
    )  # fmt: skip
    social_worker_told_on = GovukDateField(
        label="When was the pupil's social worker told? (pupils with a social worker)",
        required=False, error_name="the date the social worker was told",
    )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        kind, sessions = cleaned.get("kind"), cleaned.get("sessions")
        if kind == Kind.SUSPENSION and not sessions:
            self.add_error("sessions", "Enter the length of the suspension in sessions")
        if len(cleaned.get("reasons") or []) > 3:
            self.add_error("reasons", "Select no more than three reasons")
        return cleaned


class ReasonForm(GovukForm):
    reason = _text("Why?", message="Enter the reason")


class DateForm(GovukForm):
    day = GovukDateField(label="Date")


class BoardForm(GovukForm):
    reinstate = forms.TypedChoiceField(
        label="The governing board's decision",
        choices=[("no", "Uphold"), ("yes", "Reinstate the pupil")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the board's decision"},
    )
    decided_on = GovukDateField(label="Date of the decision")
    parents_told_on = GovukDateField(label="Date the parents were told")
    note = _text("Notes", required=False)


class ReviewApplicationForm(GovukForm):
    applied_on = GovukDateField(label="Date of the application")
    sen_expert = forms.BooleanField(label="The parents asked for a SEN expert", required=False)


class PanelForm(GovukForm):
    decision = forms.ChoiceField(
        label="The panel's decision", choices=PanelDecision.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision"},
    )  # fmt: skip
    decided_on = GovukDateField(label="Date of the decision")
    board_told_on = GovukDateField(label="Date the board was told")


class ReconsiderForm(GovukForm):
    reinstate = forms.TypedChoiceField(
        label="The board's reconsidered decision",
        choices=[("no", "The exclusion stands"), ("yes", "Reinstate the pupil")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    on = GovukDateField(label="Date")


class ProvisionForm(GovukForm):
    provision = _text("Full-time provision from the sixth day", message="Enter the provision")


class OutcomeForm(GovukForm):
    kind = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in OutcomeKind.choices if c[0] != OutcomeKind.REINTEGRATION],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    start_date = GovukDateField(label="From")
    end_date = GovukDateField(label="Until", required=False)
    provider = forms.CharField(label="School or provider", max_length=200, required=False)
    notes = _text("Notes", required=False)


class SupportForm(GovukForm):
    stage = forms.ChoiceField(
        label="Stage", choices=SupportStage.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the stage"},
    )  # fmt: skip
    meeting_on = GovukDateField(label="Meeting or hearing date", required=False)
    volunteer = forms.CharField(label="Volunteer supporting the parent", required=False)
    outcome = _text("Outcome", required=False)


class ReintegrateForm(GovukForm):
    new_school = forms.ModelChoiceField(
        label="New school", queryset=None, error_messages={"required": "Choose the new school"},
        widget=QuickSelect(attrs={"data-module": "app-autocomplete"}),
    )  # fmt: skip
    start_date = GovukDateField(label="First day at the new school")
    meeting_on = GovukDateField(label="Reintegration meeting")
    review_on = GovukDateField(label="Review of the reintegration")

    def __init__(self, schools, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_school"].queryset = schools

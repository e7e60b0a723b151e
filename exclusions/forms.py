from django import forms

from config.govuk import GovukDateField, GovukForm, NamedModelChoiceField, QuickSelect
from exclusions.models import OutcomeKind, PanelDecision, SupportStage
from exclusions.rules import NoticeSent


def _text(label, *, required=True, message=None, rows=3):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"Enter {label[0].lower() + label[1:]}"},
    )


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
    parents_told_on = GovukDateField(
        label="Date the notice of the decision was sent to the parents"
    )
    parents_told_how = forms.ChoiceField(
        label="How was it sent?", choices=NoticeSent.CHOICES, widget=forms.RadioSelect,
        help_text="For a permanent exclusion the parents have 15 school days from receiving it "
        "to apply for an independent review; by first class post it counts as received on the "
        "second working day after posting.",
        error_messages={"required": "Select how the notice was sent"},
    )  # fmt: skip
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
    new_school = NamedModelChoiceField(
        label="New school", queryset=None, error_messages={"required": "Choose the new school"},
        widget=QuickSelect(attrs={"data-module": "app-autocomplete"}),
    )  # fmt: skip
    start_date = GovukDateField(label="First day at the new school")
    meeting_on = GovukDateField(label="Reintegration meeting")
    review_on = GovukDateField(label="Review of the reintegration")

    def __init__(self, schools, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_school"].queryset = schools


class WorkSetForm(GovukForm):
    work_set = _text(
        "Work set for the first five school days",
        message="Enter the work set and how it will be marked",
    )


class LetterForm(GovukForm):
    """The parts of a letter a person writes: the rest comes from the record."""

    def __init__(self, *args, situation, **kwargs):
        from exclusions.letters import PARTS, PARTS_OF

        super().__init__(*args, **kwargs)
        for name in PARTS_OF[situation]:
            label, hint, required = PARTS[name]
            self.fields[name] = forms.CharField(
                label=label, help_text=hint, required=required, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
                error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
            )  # fmt: skip


class LetterSettingsForm(GovukForm):
    sendiass = _text("SEND information, advice and support service (SENDIASS)", required=False)
    behaviour_officer = _text("Parent partnership behaviour officer", required=False)
    review_address = _text("Where parents apply for an independent review", required=False)


class LetterSentForm(GovukForm):
    """When and how a letter went to the parents: the notice date the law counts from."""

    sent_on = GovukDateField(label="When was it sent?", error_name="the date it was sent",
                             help_text="For example, 5 3 2026")  # fmt: skip
    how = forms.ChoiceField(
        label="How was it sent?", choices=NoticeSent.CHOICES, widget=forms.RadioSelect,
        help_text="A letter posted first class counts as given on the second working day after "
        "posting.",
        error_messages={"required": "Select how the letter was sent"},
    )  # fmt: skip


class LetterNotifyForm(GovukForm):
    how = forms.ChoiceField(
        label="How should GOV.UK Notify send it?",
        choices=[(NoticeSent.EMAIL, "By email to the parents"),
                 (NoticeSent.POST, "As a letter posted first class to the parents")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select email or post"},
    )  # fmt: skip


class LetterVersionForm(GovukForm):
    body = forms.CharField(
        label="The letter",
        help_text="Paragraphs separated by a blank line; facts from the record in square "
        "brackets, as in the version in force, such as [pupil], [start] or [board by]",
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={"required": "Enter the letter"},
    )
    guidance = forms.CharField(
        label="The guidance and regulations it follows", max_length=300,
        error_messages={"required": "Enter the guidance it follows"},
    )  # fmt: skip
    effective_from = GovukDateField(label="When does it take effect?",
                                    error_name="the date it takes effect",
                                    help_text="For example, 1 9 2026")  # fmt: skip

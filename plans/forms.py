from django import forms

from config.govuk import GovukDateField, GovukForm
from plans.models import Outcome


def _text(label, *, required=True, rows=4, message=None, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"Enter {label[0].lower() + label[1:]}"},
    )


class PspForm(GovukForm):
    start_date = GovukDateField(label="Start date")
    planned_weeks = forms.IntegerField(
        label="Planned length in weeks", initial=16, min_value=1, max_value=52,
        error_messages={"required": "Enter the planned length in weeks",
                        "invalid": "Enter the planned length as a number of weeks"},
    )  # fmt: skip
    review_every_weeks = forms.IntegerField(
        label="Review meetings every (weeks)", initial=6, min_value=1, max_value=16,
        error_messages={"required": "Enter how often the plan is reviewed",
                        "invalid": "Enter the number of weeks between reviews"},
    )  # fmt: skip
    people_involved = _text(
        "Who is involved",
        help_text="The pupil, parents or carers, school staff, outside agencies",
        message="Enter who is involved",
    )
    pupil_views = _text("The pupil's views, in their own words", required=False)
    parent_views = _text("The parent or carer's views, in their words", required=False)
    areas_of_concern = _text("Areas of concern", message="Enter the areas of concern")
    interventions_tried = _text("Interventions already tried", required=False)


class TargetForm(GovukForm):
    description = _text("Target", rows=2, help_text="Specific and measurable",
                        message="Enter the target")  # fmt: skip
    strategies = _text("Strategies", rows=3, message="Enter the strategies")
    who_does_what = _text("Who does what", rows=3, message="Enter who does what")
    success_measure = _text("How success is measured", rows=2,
                            message="Enter how success is measured")  # fmt: skip


class PspReviewForm(GovukForm):
    date = GovukDateField(label="Date of the review")
    notes = _text("Notes", required=False)
    next_review_date = GovukDateField(
        label="Next review", required=False, help_text="Leave empty to end the plan"
    )

    def __init__(self, targets, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            self.fields[f"outcome_{target.pk}"] = forms.ChoiceField(
                label=f"Outcome: {target.description}",
                choices=Outcome.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select the outcome of this target"},
            )
            self.fields[f"outcome_{target.pk}"].widget.attrs["class"] = "govuk-radios__input"

    def outcomes(self) -> dict:
        return {t.pk: self.cleaned_data[f"outcome_{t.pk}"] for t in self.targets}


class BipForm(GovukForm):
    understanding_of_needs = _text(
        "Our understanding of the pupil's needs",
        message="Enter your understanding of the pupil's needs",
    )
    strategies = _text("Strategies", message="Enter the strategies")
    targets = _text("Targets", message="Enter the targets")
    who_does_what = _text("Who does what", message="Enter who does what")
    next_review_date = GovukDateField(label="Next review", required=False)


class TimetableForm(GovukForm):
    reason = _text("Why is a part-time timetable needed?", message="Enter the reason")
    hours_per_week = forms.DecimalField(
        label="Hours a week in school", min_value=0, max_value=40, decimal_places=1,
        error_messages={"required": "Enter the hours a week",
                        "invalid": "Enter the hours a week as a number, like 15"},
    )  # fmt: skip
    start_date = GovukDateField(label="Start date")
    end_date = GovukDateField(
        label="End date",
        help_text="A part-time timetable must be time-limited",
        required=False,
    )
    return_plan = _text("Plan for the return to full time", message="Enter the plan for the "
                        "return to full time")  # fmt: skip
    next_review_date = GovukDateField(label="First review")
    consent_given_by = forms.CharField(
        label="Parent or carer who consented", max_length=150,
        error_messages={"required": "Enter who gave consent"},
    )  # fmt: skip
    consent_given_on = GovukDateField(label="Date of consent")


class TimetableReviewForm(GovukForm):
    date = GovukDateField(label="Date of the review")
    notes = _text("What did the review find?", message="Enter what the review found")
    next_review_date = GovukDateField(label="Next review")


class ExtendForm(GovukForm):
    end_date = GovukDateField(label="New end date")


class FullTimeForm(GovukForm):
    full_time_from = GovukDateField(
        label="When did the pupil go back to a full-time timetable?",
        help_text="For example, 27 4 2026",
        error_name="the date the pupil went back to full time",
    )


class RiskAssessmentForm(GovukForm):
    triggers = _text("Triggers", message="Enter the triggers")
    early_signs = _text("Early signs", message="Enter the early signs")
    de_escalation = _text("De-escalation strategies", message="Enter the de-escalation strategies")
    support_measures = _text("Support measures", message="Enter the support measures")
    review_date = GovukDateField(label="Review date")
    shared_with_pupil_on = GovukDateField(label="Shared with the pupil on", required=False)
    shared_with_parents_on = GovukDateField(label="Shared with the parents on", required=False)
    shared_with_staff_on = GovukDateField(label="Shared with staff on", required=False)


class PepMeetingForm(GovukForm):
    date = GovukDateField(label="Date of the PEP meeting")
    attendees = _text("Who attended", rows=3, message="Enter who attended")
    targets = _text("Education targets agreed", message="Enter the targets agreed")


class BipReviewForm(GovukForm):
    next_review_date = GovukDateField(label="Next review")

from django import forms

from config.govuk import GovukDateField, GovukForm


class TermDatesForm(GovukForm):
    start_date = GovukDateField(label="First day", help_text="Include any INSET day at the start")
    end_date = GovukDateField(label="Last day")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The last day must be the same as or after the first day")
        return cleaned


class InsetDayForm(GovukForm):
    date = GovukDateField(label="INSET day")


class CompleteActionForm(GovukForm):
    done_on = GovukDateField(label="When was it done?", error_name="the date it was done")


class WaiveDeadlineForm(GovukForm):
    reason = forms.CharField(
        label="Why does this deadline no longer apply?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why this deadline no longer applies"},
    )

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


class SenStatusForm(GovukForm):
    """The school records or corrects a pupil's special educational provision."""

    sen_status = forms.ChoiceField(
        label="What special educational provision does the pupil have?",
        choices=[
            ("sen_support", "SEN support"),
            ("ehcp", "An education, health and care plan (EHCP)"),
            ("none", "No special educational needs"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the pupil's special educational provision"},
    )
    primary_need = forms.ChoiceField(
        label="Primary need",
        help_text="As the school census records it. Leave as it is if the pupil has no SEN.",
        required=False,
    )
    start_date = GovukDateField(
        label="From when?", error_name="the date it started",
        help_text="For example, the date the EHC plan was issued. For example, 3 9 2025",
        latest=timezone.localdate,
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        from pupils.models import SenPrimaryNeed

        super().__init__(*args, **kwargs)
        self.fields["primary_need"].choices = [("", "Choose the primary need"),
                                               *SenPrimaryNeed.choices]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sen_status") == "none":
            cleaned["primary_need"] = ""
        elif cleaned.get("sen_status") and not cleaned.get("primary_need"):
            self.add_error("primary_need", "Select the pupil's primary need")
        return cleaned


class LookedAfterReturnForm(GovukForm):
    """The two files of the authority's looked-after children return (SSDA903)."""

    header = forms.FileField(
        label="Header file",
        help_text="A CSV file with a row for each child: CHILD, SEX, DOB, UPN and the rest",
        error_messages={"required": "Choose the header file"},
    )
    episodes = forms.FileField(
        label="Episodes file",
        help_text="A CSV file with a row for each episode of care: CHILD, DECOM, DEC, REC and "
        "the rest",
        error_messages={"required": "Choose the episodes file"},
    )


class FindChildForm(GovukForm):
    """The virtual school officer finds a child by UPN and date of birth to record their care
    status."""

    upn = forms.CharField(
        label="UPN", max_length=13,
        help_text="The child's 13-character unique pupil number, for example A123456789012",
        error_messages={"required": "Enter the child's UPN"},
    )  # fmt: skip
    date_of_birth = GovukDateField(
        label="Date of birth", help_text="For example, 27 3 2014",
        earliest=dates.earliest_birth, latest=timezone.localdate,
    )  # fmt: skip

    def clean_upn(self):
        return self.cleaned_data["upn"].strip().upper()


class CareStatusForm(GovukForm):
    """The virtual school officer records a child's care status from a date."""

    status = forms.ChoiceField(
        label="What is the child's care status?",
        choices=[
            ("cla", "Looked after by this authority"),
            ("pla", "Previously looked after: adopted from care, or under a special "
                    "guardianship or child arrangements order"),
            ("cin", "On a child in need plan"),
            ("cp", "On a child protection plan"),
            ("none", "Not looked after, and on no plan"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's care status"},
    )  # fmt: skip
    arrangement = forms.ChoiceField(
        label="If previously looked after: how did the child leave care?",
        required=False,
        widget=forms.RadioSelect,
    )
    start_date = GovukDateField(
        label="From when?", error_name="the date it started",
        help_text="The date the child came into care, left it, or the plan began. "
        "For example, 3 9 2025",
        latest=timezone.localdate,
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        from pupils.models import CareArrangement

        super().__init__(*args, **kwargs)
        self.fields["arrangement"].choices = CareArrangement.choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == "pla" and not cleaned.get("arrangement"):
            self.add_error("arrangement", "Select how the child left care")
        return cleaned


class TransferFileForm(GovukForm):
    """A Common Transfer File from one of the authority's schools."""

    file = forms.FileField(
        label="Common Transfer File",
        help_text="The XML file the school's system made: a CTF to the local authority, or an "
        "XML data transfer",
        error_messages={"required": "Choose the Common Transfer File"},
    )


class ConfirmMatchForm(GovukForm):
    """Which record a pupil of a transfer file is."""

    record = forms.ChoiceField(
        label="Which record is this pupil?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the pupil's record, or that they are a new pupil"},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [
            *[
                (str(p.pk), f"{p.legal_name}, born {p.date_of_birth:%-d %B %Y}, UPN {p.upn}")
                for p in candidates
            ],
            ("new", "A different child: add them as a new pupil"),
        ]


class MergeForm(GovukForm):
    """Which of two records of one child is kept."""

    kept = forms.ChoiceField(
        label="Which record do you want to keep?",
        help_text="The record kept keeps its UPN and details; every referral, case, plan, "
        "exclusion and history of the other follows it.",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the record to keep"},
    )

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].choices = [
            (str(p.pk), f"{p.legal_name}, UPN {p.upn}, recorded {p.created_at:%-d %B %Y}")
            for p in pair
        ]

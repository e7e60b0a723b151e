from django import forms

from audit import personal_data
from config.govuk import GovukForm
from config.upn import validate_upn


class UpnForm(GovukForm):
    upn = forms.CharField(
        label="Pupil's UPN",
        max_length=13,
        error_messages={"required": "Enter the pupil's UPN"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )

    def clean_upn(self):
        upn = self.cleaned_data["upn"].strip().upper()
        validate_upn(upn)
        return upn


class PupilInAuthorityForm(UpnForm):
    """A UPN that must name a pupil who has been on roll in the administrator's authority; the
    pupil is ``cleaned_data["pupil"]``."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        if "upn" in cleaned:
            pupil = personal_data.subjects_for(self.user).filter(upn=cleaned["upn"]).first()
            if pupil is None:
                self.add_error("upn", "No pupil with this UPN has been on roll in your authority")
            cleaned["pupil"] = pupil
        return cleaned


class SubjectAccessForm(PupilInAuthorityForm):
    reason = forms.CharField(
        label="Request reference or reason", max_length=300,
        error_messages={"required": "Enter the request's reference"},
    )  # fmt: skip
    redact = forms.BooleanField(label="Redact other people's names", required=False)


class ErasureForm(PupilInAuthorityForm):
    reason = forms.CharField(
        label="Why may the details be erased?", max_length=300,
        error_messages={"required": "Enter why the pupil's details are being erased"},
    )  # fmt: skip
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Confirm that you understand this cannot be undone"},
    )

from django import forms

from pupils.forms import AccessLogSearchForm


class PupilInAuthorityForm(AccessLogSearchForm):
    """A UPN that must name a pupil who has been on roll in the administrator's authority; the
    pupil is ``cleaned_data["pupil"]``."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        from pupils.access import subject_access_pupils

        cleaned = super().clean()
        if "upn" in cleaned:
            pupil = subject_access_pupils(self.user).filter(upn=cleaned["upn"]).first()
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

from django import forms
from django.db import models
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind
from accounts.policy import active_memberships, authority_ids
from config import dates
from config.govuk import (
    GovukDateField,
    GovukForm,
    GovukModelForm,
    NamedModelChoiceField,
    QuickSelect,
)
from pupils.models import Gender, validate_upn
from referrals.models import AttachmentKind, ConsentMethod, Redirection, Referral, ReferralType
from referrals.selectors import referral_types_for

LABELS = {
    "reason": "Why are you referring the pupil?",
    "concerns": "What concerns you most about the pupil's behaviour?",
    "strengths": "What are the pupil's strengths and interests?",
    "pupil_views": "What does the pupil say? (in their own words)",
    "parent_views": "What does the parent or carer say? (in their words)",
    "previous_step_started": "When did the previous step of the ladder begin?",
    "interventions_tried": "What has been tried at that step, and what happened?",
    "crisis": "The pupil has reached crisis point, so the steps are compressed",
    "crisis_reason": "Why are the steps compressed?",
    "exclusion_history": "Suspensions and exclusions so far",
    "virtual_school_consulted_on": "When did you consult the virtual school?",
    "virtual_school_consulted_with": "Who at the virtual school did you consult?",
    "consent_given_by": "Who gave consent for the referral?",
    "consent_given_on": "When was consent given?",
    "consent_method": "How was consent given?",
    "referrer_name": "Name",
    "referrer_role": "Relationship to the pupil, or job title",
    "referrer_phone": "Phone number",
    "referrer_email": "E-mail address",
}
# How a date asked as a question is named in its error messages (GOV.UK: "[Whatever it is]
# must be a real date").
DATE_NAMES = {
    "previous_step_started": "the date the previous step began",
    "virtual_school_consulted_on": "the date you consulted the virtual school",
    "consent_given_on": "the date consent was given",
}
HINTS = {
    "previous_step_started": "A referral normally follows about 12 school weeks at the previous "
    "step. For example, 8 9 2026",
    "crisis_reason": "Needed when the previous step began less than 12 school weeks ago",
    "consent_given_by": "Name and relationship, for example Jo Smith (mother)",
    "exclusion_history": "Dates, lengths and reasons",
}


def _formfield(db_field: models.Field, **kwargs):
    label = LABELS.get(db_field.name, db_field.verbose_name)
    hint = HINTS.get(db_field.name, "")
    if isinstance(db_field, models.DateField):
        return GovukDateField(
            label=label, error_name=DATE_NAMES.get(db_field.name), required=False, help_text=hint
        )
    if db_field.name == "consent_method":
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=db_field.choices,
            widget=forms.RadioSelect,
        )
    field = db_field.formfield(**kwargs)
    field.required = False
    field.label = label
    field.help_text = hint
    if isinstance(db_field, models.TextField):
        field.widget = forms.Textarea(attrs={"rows": 5})
    return field


def section_form(fields):
    return forms.modelform_factory(
        Referral, form=GovukModelForm, fields=list(fields), formfield_callback=_formfield
    )


class FindPupilForm(GovukForm):
    q = forms.CharField(
        label="Pupil's name or UPN",
        max_length=100,
        error_messages={"required": "Enter the pupil's name or UPN"},
    )


class ChooseTypeForm(GovukForm):
    referral_type = forms.ModelChoiceField(
        label="What kind of referral is it?",
        queryset=ReferralType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the kind of referral"},
    )

    def __init__(self, school, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral_type"].queryset = referral_types_for(school)
        self.fields["referral_type"].label_from_instance = lambda t: (
            f"{t.name} (to {t.gateway.name if t.gateway else t.service.name})"
        )


class NewPupilForm(GovukForm):
    upn = forms.CharField(
        label="UPN",
        max_length=13,
        help_text="13 characters, like A801200005001",
        error_messages={"required": "Enter the pupil's UPN"},
    )
    legal_first_name = forms.CharField(
        label="Legal first name", max_length=100, error_messages={"required": "Enter a first name"}
    )
    legal_last_name = forms.CharField(
        label="Legal last name", max_length=100, error_messages={"required": "Enter a last name"}
    )
    preferred_first_name = forms.CharField(
        label="Preferred first name (optional)", max_length=100, required=False
    )
    date_of_birth = GovukDateField(
        label="Date of birth", help_text="For example, 27 3 2014",
        earliest=dates.earliest_birth, latest=timezone.localdate,
    )  # fmt: skip
    gender = forms.ChoiceField(
        label="Gender",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the pupil's gender"},
    )
    enrolled_on = GovukDateField(
        label="When did the pupil join the school?", error_name="the date the pupil joined"
    )

    def clean_upn(self):
        upn = self.cleaned_data["upn"].strip().upper().replace(" ", "")
        validate_upn(upn)
        return upn


class DocumentForm(GovukForm):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=AttachmentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the document is"},
    )
    file = forms.FileField(
        label="Document",
        help_text="PDF, Word (DOCX), OpenDocument (ODT), JPEG or PNG, 10 MB at most",
        error_messages={"required": "Select a document to upload"},
    )


class AnswerForm(GovukForm):
    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the information asked for"},
    )


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why is the referral being withdrawn? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class Decision(models.TextChoices):
    ACCEPT = "accept", "Accept and route to a service"
    MORE_INFORMATION = "more_information", "Ask the school for more information"
    DECLINE = "decline", "Decline"
    REDIRECT = "redirect", "Redirect: suggest another route"


def _services(authorities):
    """The services a gateway may route to or suggest: its own authority's."""
    return Organisation.objects.filter(
        kind=OrganisationKind.SERVICE, is_active=True, local_authority__in=authorities
    )


class ScreeningForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a decision"},
    )
    service = forms.ModelChoiceField(
        label="Service to accept the referral into",
        queryset=Organisation.objects.none(),
        required=False,
    )
    question = forms.CharField(
        label="What information does the school need to give?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label="Why is it declined?",
        help_text="The school reads this.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    redirection = forms.ChoiceField(
        label="What do you suggest instead?",
        choices=Redirection.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    redirect_service = forms.ModelChoiceField(
        label="Service to refer to instead",
        help_text="Only for a referral to another service.",
        queryset=Organisation.objects.none(),
        required=False,
    )
    redirect_note = forms.CharField(
        label="Why? (optional)",
        help_text="The school reads this with your suggestion.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, checklist_items, referral, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist_items = checklist_items
        self.fields["service"].queryset = _services([referral.service.local_authority_id])
        self.fields["redirect_service"].queryset = self.fields["service"].queryset
        order = []
        for key, label in checklist_items:
            self.fields[f"check_{key}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"check_{key}"].widget.attrs["class"] = "govuk-checkboxes__input"
            self.fields[f"why_{key}"] = forms.CharField(
                label=f"If not ticked: why accept without “{label[0].lower()}{label[1:]}”?",
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"class": "govuk-input"}),
            )
            order += [f"check_{key}", f"why_{key}"]
        order = ["decision", "service", *order, "question", "reason", "redirection",
                 "redirect_service", "redirect_note"]  # fmt: skip
        self.order_fields(order)

    def checklist_fields(self):
        return [self[name] for name in self.fields if name.startswith(("check_", "why_"))]

    def checklist(self) -> dict:
        """Each item: ``True`` when ticked, else the reason given for accepting without it
        (``False`` when there is none)."""
        return {
            key: self.cleaned_data.get(f"check_{key}", False)
            or self.cleaned_data.get(f"why_{key}", "").strip()
            or False
            for key, _ in self.checklist_items
        }

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == Decision.ACCEPT:
            for key, label in self.checklist_items:
                ticked = cleaned.get(f"check_{key}")
                if not ticked and not cleaned.get(f"why_{key}", "").strip():
                    self.add_error(
                        f"why_{key}",
                        f"Tick “{label}”, or say why you accept the referral without it",
                    )
        if decision == Decision.MORE_INFORMATION and not cleaned.get("question", "").strip():
            self.add_error("question", "Enter what information the school needs to give")
        if decision == Decision.DECLINE and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Enter the reason the school will read")
        if decision == Decision.REDIRECT:
            if not cleaned.get("redirection"):
                self.add_error("redirection", "Select what to suggest instead")
            elif cleaned["redirection"] == Redirection.ANOTHER_SERVICE and not cleaned.get(
                "redirect_service"
            ):
                self.add_error("redirect_service", "Choose the service to refer to instead")
        return cleaned


class QueueFlag(models.TextChoices):
    """What a screener looks for first in the gateway's queue (seed 002: crisis referrals and
    looked-after pupils are screened first; an answer from the school needs reading)."""

    MINE = "mine", "Assigned to me"
    CRISIS = "crisis", "Crisis"
    LOOKED_AFTER = "looked_after", "Looked after"
    ANSWERED = "answered", "Answer received"
    INCOMPLETE = "incomplete", "Sent incomplete"


class QueueFilterForm(GovukForm):
    q = forms.CharField(
        label="Reference",
        required=False,
        max_length=20,
        help_text="For example, REF-2026-000123",
    )
    flag = forms.ChoiceField(
        label="Show", required=False, choices=[("", "Every referral"), *QueueFlag.choices]
    )
    service = NamedModelChoiceField(
        label="Service", queryset=Organisation.objects.none(), required=False
    )
    referral_type = NamedModelChoiceField(
        label="Type", queryset=ReferralType.objects.none(), required=False
    )
    school = NamedModelChoiceField(
        label="School", queryset=None, required=False,
        widget=QuickSelect(attrs={"data-module": "app-autocomplete"}),
    )  # fmt: skip
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Waiting for screening"),
            ("submitted", "Submitted"),
            ("more_information", "More information requested"),
            ("all", "All"),
        ],
    )

    def __init__(self, user, *args, **kwargs):
        from pupils.models import School

        super().__init__(*args, **kwargs)
        authorities = authority_ids(active_memberships(user))
        self.fields["service"].queryset = _services(authorities)
        self.fields["referral_type"].queryset = ReferralType.objects.filter(
            service__local_authority__in=authorities
        ).only("pk", "name")
        # Only what each option shows: hundreds of schools on every page of the queue. Each
        # list is decided by the user's authorities alone (``pupils.access.school_filter``
        # for the schools), so it is kept in the cache under them.
        self.fields["school"].queryset = School.objects.visible_to(user).only("pk", "name")
        self.choices_key = tuple(sorted(authorities))
        for field in ("service", "referral_type", "school"):
            self.fields[field].choices_key = ("queue filter", field, *self.choices_key)


class ParentReferralForm(GovukForm):
    """Form B/ex1 (seed 004): a parent or carer's referral, taken by the behaviour officer on
    the phone or in person. The pupil is found by what the parent knows."""

    referral_type = forms.ModelChoiceField(
        label="Form", queryset=None, error_messages={"required": "Choose the form"}
    )
    school = NamedModelChoiceField(
        label="The child's school",
        queryset=None,
        widget=QuickSelect(attrs={"data-module": "app-autocomplete"}),
        error_messages={"required": "Choose the child's school"},
    )
    first_name = forms.CharField(
        label="The child's first name",
        max_length=100,
        error_messages={"required": "Enter the child's first name"},
    )
    last_name = forms.CharField(
        label="The child's last name",
        max_length=100,
        error_messages={"required": "Enter the child's last name"},
    )
    date_of_birth = GovukDateField(
        label="The child's date of birth", help_text="For example, 27 3 2014",
        earliest=dates.earliest_birth, latest=timezone.localdate,
    )  # fmt: skip
    referrer_name = forms.CharField(
        label="The parent or carer's name",
        max_length=150,
        error_messages={"required": "Enter the parent or carer's name"},
    )
    referrer_role = forms.CharField(
        label="Their relationship to the child",
        max_length=150,
        help_text="For example, mother, father, grandparent, foster carer",
        error_messages={"required": "Enter their relationship to the child"},
    )
    referrer_phone = forms.CharField(label="Phone number", max_length=30, required=False)
    referrer_email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format"},
    )
    reason = forms.CharField(
        label="Why is the parent or carer asking for support?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter why the parent or carer is asking for support"},
    )
    exclusion_history = forms.CharField(
        label="Suspensions and exclusions so far (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_method = forms.ChoiceField(
        label="How did the parent or carer agree to the referral?",
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they agreed to the referral"},
    )

    def __init__(self, user, *args, **kwargs):
        from pupils.models import School
        from referrals.selectors import parent_referral_types_for

        super().__init__(*args, **kwargs)
        types = parent_referral_types_for(user)
        self.fields["referral_type"].queryset = types
        self.fields["referral_type"].empty_label = None
        authorities = {t.service.local_authority_id for t in types}
        self.fields["school"].queryset = School.objects.filter(
            organisation__local_authority__in=authorities
        ).only("pk", "name")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("referrer_phone") or cleaned.get("referrer_email")):
            self.add_error("referrer_phone", "Enter a phone number or e-mail address")
        return cleaned

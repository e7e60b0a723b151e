"""Referral forms, gateway screening, routing and allocation."""

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from accounts.models import OrganisationKind
from audit.models import Activity
from config.sync import ExternalIdField, UpdatedAtField, unique_external_id

# Organisation codes the rules below depend on (configured data; these are the demo's codes).
BOSS_CODE = "boss"
PRT_CODE = "prt"


class Question(models.TextChoices):
    """The question pages a referral type can ask for."""

    LADDER = "ladder", "Graduated response (the ladder)"
    PSP = "psp", "Pastoral Support Plan"
    EXCLUSIONS = "exclusions", "Suspensions and exclusions"
    PARENT = "parent", "Parent or carer making the referral"
    PROFESSIONAL = "professional", "Professional making the referral"


class ReferralType(models.Model):
    """A kind of referral a service takes, configured in the admin."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    service = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referral_types",
        limit_choices_to={"kind": OrganisationKind.SERVICE},
    )
    gateway = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gateway_referral_types",
        limit_choices_to={"kind": OrganisationKind.GATEWAY},
        help_text="The gateway that screens it first; empty when it goes straight to the service.",
    )
    questions = models.JSONField(
        default=list, blank=True, help_text=f"Any of: {', '.join(Question.values)}"
    )
    requires_psp_document = models.BooleanField(
        default=False, help_text="A Pastoral Support Plan must be attached before submission."
    )
    sensitive = models.BooleanField(
        default=False,
        help_text="Seen only by the gateway and the receiving service (harmful sexual behaviour).",
    )
    allows_incomplete = models.BooleanField(
        default=False,
        help_text="May be submitted with answers missing; marked incomplete (form B/ex2).",
    )
    allocation_target_weeks = models.PositiveSmallIntegerField(default=2)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["service__name", "name"]

    def __str__(self):
        return self.name

    def asks(self, question: str) -> bool:
        return question in self.questions

    def clean(self):
        """Seed 000: "All referrals for BOSS support must be made to PRT, not directly to BOSS."""
        boss = self.service_id and self.service.code == BOSS_CODE
        if boss and (self.gateway is None or self.gateway.code != PRT_CODE):
            raise ValidationError(
                {"gateway": "A BOSS referral must go through the PRT, never straight to BOSS."}
            )
        unknown = set(self.questions) - set(Question.values)
        if unknown:
            raise ValidationError({"questions": f"Unknown questions: {', '.join(sorted(unknown))}"})


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    MORE_INFORMATION = "more_information", "More information requested"
    ACCEPTED = "accepted", "Accepted: awaiting allocation"
    DECLINED = "declined", "Declined"
    REDIRECTED = "redirected", "Redirected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ALLOCATED = "allocated", "Allocated"
    CLOSED = "closed", "Closed"


TRANSITIONS = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {
        Status.MORE_INFORMATION,
        Status.ACCEPTED,
        Status.DECLINED,
        Status.REDIRECTED,
        Status.WITHDRAWN,
    },
    Status.MORE_INFORMATION: {Status.SUBMITTED, Status.WITHDRAWN, Status.DECLINED},
    Status.ACCEPTED: {Status.ALLOCATED, Status.WITHDRAWN, Status.DECLINED},
    # The referral closes when its last case episode closes, and is allocated again when a
    # closed case is reopened (seed 004: "Cases can be reopened, keeping earlier records").
    Status.ALLOCATED: {Status.CLOSED},
    Status.CLOSED: {Status.ALLOCATED},
    Status.DECLINED: set(),
    Status.REDIRECTED: set(),
    Status.WITHDRAWN: set(),
}
# How a referral in each status stands, and what moving into each status is called: the words
# of the refusal a second person pressing the same button reads.
STANDS = {
    Status.DRAFT: "has not been sent yet",
    Status.SUBMITTED: "has already been sent",
    Status.MORE_INFORMATION: "is waiting for the school's answer",
    Status.ACCEPTED: "has already been accepted",
    Status.DECLINED: "has already been declined",
    Status.REDIRECTED: "has already been redirected",
    Status.WITHDRAWN: "has been withdrawn",
    Status.ALLOCATED: "has already been allocated",
    Status.CLOSED: "is closed",
}
DONE = {
    Status.DRAFT: "made a draft again",
    Status.SUBMITTED: "sent",
    Status.MORE_INFORMATION: "sent back for more information",
    Status.ACCEPTED: "accepted",
    Status.DECLINED: "declined",
    Status.REDIRECTED: "redirected",
    Status.WITHDRAWN: "withdrawn",
    Status.ALLOCATED: "allocated",
    Status.CLOSED: "closed",
}
STATUS_TAG_COLOURS = {  # of its GOV.UK tag; purple for the rest
    Status.DRAFT: "grey",
    Status.SUBMITTED: "blue",
    Status.MORE_INFORMATION: "yellow",
    Status.ACCEPTED: "green",
    Status.ALLOCATED: "green",
    Status.DECLINED: "red",
}
# The one definition of an open referral: the constraint (one open referral per pupil per
# service), the services and the sweeps all read it.
OPEN_STATUSES = [Status.SUBMITTED, Status.MORE_INFORMATION, Status.ACCEPTED, Status.ALLOCATED]
# Open and not yet a case: these wait on the gateway, the school or the manager, and the
# quarterly review revisits them (an allocated referral is reviewed as its case).
WAITING_STATUSES = [Status.SUBMITTED, Status.MORE_INFORMATION, Status.ACCEPTED]
# What a gateway sees, and what a service without a gateway screens itself.
SCREENING_STATUSES = [Status.SUBMITTED, Status.MORE_INFORMATION]
# Accepted into a service at some time: whatever happened to it after.
ROUTED_STATUSES = [Status.ACCEPTED, Status.ALLOCATED, Status.CLOSED]
# The school may still change its answers and documents.
EDITABLE_STATUSES = [Status.DRAFT, Status.MORE_INFORMATION]


class Source(models.TextChoices):
    SCHOOL_FORM = "school_form", "Referral form"
    REINTEGRATION = "reintegration", "Reintegration after permanent exclusion"


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    WRITING = "writing", "In writing or by e-mail"


class Redirection(models.TextChoices):
    EARLY_HELP = "early_help", "An Early Help assessment"
    TEAM_AROUND_THE_CHILD = "tac", "A Team Around the Child (TAC) meeting"
    ANOTHER_SERVICE = "another_service", "A referral to another service"


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        from referrals.access import referral_filter

        return self.filter(referral_filter(user))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


@pghistory.track(exclude=["updated_at"])
class Referral(models.Model):
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    referral_type = models.ForeignKey(ReferralType, on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="referrals")
    school = models.ForeignKey(
        "pupils.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        help_text="The referring school.",
    )
    service = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="referrals"
    )
    gateway = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gateway_referrals",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SCHOOL_FORM)
    sensitive = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    incomplete = models.BooleanField(default=False)
    allocated_at = models.DateTimeField(null=True, blank=True)
    allocation_target_met = models.BooleanField(
        null=True, blank=True, help_text="Allocated by the allocation deadline (seed 001)."
    )
    missing_answers = models.JSONField(default=list, blank=True)

    # The form's answers.
    reason = models.TextField("why are you referring the pupil", blank=True)
    concerns = models.TextField("what concerns you most", blank=True)
    strengths = models.TextField("the pupil's strengths and interests", blank=True)
    pupil_views = models.TextField("the pupil's views", blank=True)
    parent_views = models.TextField("the parent or carer's views", blank=True)
    previous_step_started = models.DateField("when the previous step began", null=True, blank=True)
    interventions_tried = models.TextField("what has been tried", blank=True)
    crisis = models.BooleanField("the pupil has reached crisis point", default=False)
    crisis_reason = models.TextField("why the steps are compressed", blank=True)
    exclusion_history = models.TextField("suspensions and exclusions so far", blank=True)
    virtual_school_consulted_on = models.DateField(null=True, blank=True)
    virtual_school_consulted_with = models.CharField(max_length=150, blank=True)
    consent_given_by = models.CharField("who gave consent", max_length=150, blank=True)
    consent_given_on = models.DateField("when consent was given", null=True, blank=True)
    consent_method = models.CharField(
        "how consent was given", max_length=20, choices=ConsentMethod.choices, blank=True
    )
    referrer_name = models.CharField(max_length=150, blank=True)
    referrer_role = models.CharField(max_length=150, blank=True)
    referrer_phone = models.CharField(max_length=30, blank=True)
    referrer_email = models.EmailField(blank=True)

    psp = models.ForeignKey(
        "plans.PastoralSupportPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        help_text="The Pastoral Support Plan the referral comes with (seed 000).",
    )

    # Screening.
    screener = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The screener who has taken the referral from the gateway's queue.",
    )
    checklist = models.JSONField(default=dict, blank=True)
    question = models.TextField("information asked for", blank=True)
    answer = models.TextField("the school's answer", blank=True)
    decision_reason = models.TextField(blank=True)
    redirection = models.CharField(max_length=20, choices=Redirection.choices, blank=True)
    redirected_to = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    external_id = ExternalIdField()
    updated_at = UpdatedAtField()

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            unique_external_id("referral"),
            models.UniqueConstraint(
                fields=["pupil", "service"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="one_open_referral_per_pupil_per_service",
                violation_error_message="This pupil already has an open referral to this service.",
            ),
        ]
        indexes = [
            models.Index(fields=["gateway", "status", "submitted_at"], name="referral_queue"),
            models.Index(fields=["service", "status", "submitted_at"], name="referral_service"),
            models.Index(fields=["school", "-created_at"], name="referral_school"),
            # The quarterly figures count a service's referrals by when they were received,
            # decided and allocated; the visibility columns ride along for index-only counts.
            models.Index(
                fields=["service", "submitted_at"],
                include=["gateway", "status"],
                name="referral_service_submitted",
            ),
            models.Index(fields=["service", "decided_at"], name="referral_service_decided"),
            models.Index(fields=["service", "allocated_at"], name="referral_service_allocated"),
        ]

    def __str__(self):
        return self.reference or f"Draft referral for {self.pupil}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("referrals:detail", args=[self.pk])

    @property
    def label(self) -> str:
        return self.label_of(self.reference)

    @staticmethod
    def label_of(reference: str) -> str:
        """A referral's label from its reference alone (a draft has none yet)."""
        return reference or "Draft"

    @property
    def status_tag_colour(self) -> str:
        """The GOV.UK tag colour of the referral's status, for lists of hundreds."""
        return STATUS_TAG_COLOURS.get(self.status, "purple")

    @property
    def status_tag_class(self) -> str:
        return f"govuk-tag--{self.status_tag_colour}"


class EventKind(models.TextChoices):
    STARTED = "started", "Referral started"
    SUBMITTED = "submitted", "Referral submitted"
    MORE_INFORMATION = "more_information", "More information requested"
    ANSWERED = "answered", "More information given"
    ACCEPTED = "accepted", "Referral accepted"
    DECLINED = "declined", "Referral declined"
    REDIRECTED = "redirected", "Referral redirected"
    WITHDRAWN = "withdrawn", "Referral withdrawn"
    ALLOCATED = "allocated", "Referral allocated"
    CREATED_AUTOMATICALLY = "automatic", "Referral opened automatically"
    CLOSED = "closed", "Referral closed"
    REOPENED = "reopened", "Referral reopened"


class ReferralActivity(Activity):
    """The referral's history in words: who did what, when. The pupil's timeline reads it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=EventKind.choices)


class AttachmentKind(models.TextChoices):
    PSP = "psp", "Pastoral Support Plan"
    OTHER = "other", "Other document"


def private_storage():
    """Attachments live outside the web root (``PRIVATE_MEDIA_ROOT``), never under a URL."""
    from django.core.files.storage import storages

    return storages["private"]


def attachment_path(instance, filename):
    return f"referrals/{instance.referral_id}/{instance.stored_name}"


@pghistory.track(exclude=["file"])
class Attachment(models.Model):
    """A document attached to a referral, stored outside the web root and served only to
    people who may see the referral."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=attachment_path, storage=private_storage)
    stored_name = models.CharField(max_length=100)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

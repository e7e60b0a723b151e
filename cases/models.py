"""Casework: a referral allocated to a caseworker becomes a case, with its contacts."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models

from audit.models import Activity
from config.sync import UpdatedAtField


class ServiceSettings(models.Model):
    """How a service works, set in the admin (seeds 000, 001, 004)."""

    service = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="case_settings",
        limit_choices_to={"kind": "service"},
    )
    maximum_involvement_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Seed 000: BOSS withdraws after at most 22 weeks."
    )
    counts_school_weeks = models.BooleanField(
        default=True, help_text="Count involvement in school weeks (else calendar weeks)."
    )
    minimum_contacts = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Seed 001: BASS interventions include at least 10."
    )
    contact_parent_on_allocation = models.BooleanField(
        default=False,
        help_text="Seed 004: the behaviour officer contacts the parent on the day of allocation.",
    )
    confidential = models.BooleanField(
        default=False,
        help_text="Seed 004: arm's length; cases are seen only by this service's members.",
    )
    posts_parent_evaluation = models.BooleanField(
        default=False,
        help_text="Seed 004: on closing a stage 2 referral the parent partnership service posts "
        "the parent its evaluation (form B/ex6); the caseworker records the answers.",
    )
    monitors_part_time_timetables = models.BooleanField(
        default=False,
        help_text="Seed 003: every part-time timetable is notified to, and monitored by, this "
        "service (BACME).",
    )

    class Meta:
        verbose_name_plural = "service settings"

    def __str__(self):
        return f"Settings for {self.service}"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


# A closed case is never opened again: reopening starts a new episode linked to it.
TRANSITIONS = {CaseStatus.OPEN: {CaseStatus.CLOSED}, CaseStatus.CLOSED: set()}
STANDS = {CaseStatus.OPEN: "is open", CaseStatus.CLOSED: "has already been closed"}
DONE = {CaseStatus.OPEN: "opened", CaseStatus.CLOSED: "closed"}


class ClosureReason(models.TextChoices):
    """Seed 000: BOSS closes "once the risk of exclusion has reduced or a school is able to
    deliver the required provision without BOSS input", and withdraws at 22 weeks."""

    RISK_REDUCED = "risk_reduced", "Risk of exclusion reduced"
    SCHOOL_CAN_DELIVER = (
        "school_can_deliver",
        "School able to deliver the provision without the service",
    )
    MAXIMUM_REACHED = "maximum_reached", "Maximum involvement reached"
    MOVED = "moved", "Pupil moved school or left the area"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Parent withdrew consent"
    OTHER = "other", "Other"


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from cases.access import case_filter

        return self.filter(case_filter(user))


@pghistory.track(exclude=["updated_at", "contact_count"])
class Case(models.Model):
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="cases"
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reopened_as",
        help_text="The closed episode this one reopens.",
    )
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="cases")
    service = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    school = models.ForeignKey(
        "pupils.School", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases"
    )
    confidential = models.BooleanField(default=False)
    sensitive = models.BooleanField(
        default=False,
        help_text="From its referral (harmful sexual behaviour): seen only by the service "
        "working it and the referring school, never by the virtual school.",
    )
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(blank=True)
    risk_continues = models.BooleanField(null=True, blank=True)
    # Kept by the database as contacts are added and removed (triggers on Contact), so the
    # caseload and the quarterly figures read one column instead of counting contacts.
    contact_count = models.PositiveIntegerField(default=0, editable=False)
    updated_at = UpdatedAtField()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [
            models.Index(fields=["caseworker", "status"], name="case_caseload"),
            # Cases open in, or closed in, a quarter (the quarterly figures).
            models.Index(fields=["service", "closed_on"], name="case_service_closed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status="open"),
                name="one_open_case_per_referral",
            )
        ]

    def __str__(self):
        return f"Case for {self.pupil} ({self.service})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])

    REFERENCE_PREFIX = "CASE-"

    @property
    def reference(self) -> str:
        """The case's reference, quoted on its page and found by the search in the header."""
        return f"{self.REFERENCE_PREFIX}{self.pk:06d}"


class ContactKind(models.TextChoices):
    SCHOOL_VISIT = "school_visit", "School visit"
    HOME_VISIT = "home_visit", "Home visit"
    PHONE = "phone", "Phone call"
    EMAIL = "email", "E-mail"
    MEETING = "meeting", "Meeting"
    OBSERVATION = "observation", "Observation"
    DIRECT_WORK = "direct_work", "Direct work with the pupil"
    CONSULTATION = "consultation", "Consultation with staff"
    MULTI_AGENCY = "multi_agency", "Multi-agency meeting"


@pghistory.track(exclude=["updated_at"])
class Contact(models.Model):
    """A contact with the pupil, family, school or others: form B/ex3 (seed 004)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    participants = models.CharField("who took part", max_length=300)
    with_parent = models.BooleanField("the parent or carer took part", default=False)
    duration_minutes = models.PositiveSmallIntegerField("duration (minutes)")
    notes = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = UpdatedAtField()

    class Meta:
        ordering = ["-date", "-pk"]
        # A case's chronology and its last contact, newest first, read from the index alone.
        indexes = [models.Index(fields=["case", "-date", "-id"], name="contact_case_newest")]
        triggers = [
            pgtrigger.Trigger(
                name="case_contact_count_add",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                func="UPDATE cases_case SET contact_count = contact_count + 1 "
                "WHERE id = NEW.case_id; RETURN NULL;",
            ),
            pgtrigger.Trigger(
                name="case_contact_count_remove",
                operation=pgtrigger.Delete,
                when=pgtrigger.After,
                func="UPDATE cases_case SET contact_count = contact_count - 1 "
                "WHERE id = OLD.case_id; RETURN NULL;",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date}"


class MultiAgencyMeeting(models.Model):
    """Seed 000: "If risk continues, then multi-agency meeting needs to consider next steps,
    including virtual school when the child is in care." Required before such a closure."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    attendees = models.TextField("who attended")
    virtual_school_attended = models.BooleanField(default=False)
    next_steps = models.TextField("agreed next steps")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self):
        return f"Multi-agency meeting on {self.date}"


class Respondent(models.TextChoices):
    SCHOOL = "school", "School"
    PARENT = "parent", "Parent or carer"


class Evaluation(models.Model):
    """Form B/ex6, sent on the day of closure (seed 004); BASS reports schools' ratings out
    of 5 (seed 001). Reported without identifying the family."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evaluations")
    respondent = models.CharField(max_length=10, choices=Respondent.choices)
    rating = models.PositiveSmallIntegerField("satisfaction out of 5", null=True, blank=True)
    answers = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "respondent"], name="one_evaluation_each"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="rating_out_of_five",
            ),
        ]

    def __str__(self):
        return f"{self.get_respondent_display()} evaluation of {self.case}"


class CaseActivityKind(models.TextChoices):
    OPENED = "opened", "Case opened"
    REALLOCATED = "reallocated", "Case reallocated"
    MEETING = "meeting", "Multi-agency meeting"
    CLOSED = "closed", "Case closed"
    REOPENED = "reopened", "Case reopened"
    REVIEWED = "reviewed", "Quarterly review"
    EVALUATION = "evaluation", "Evaluation received"
    ACTION = "action", "Action agreed"


class CaseActivity(Activity):
    """What happened on a case, in words, for its chronology and the pupil's timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=CaseActivityKind.choices)


class ReviewDecision(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    CONTINUE = "continue", "Continue"
    CLOSE = "close", "Close"


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        from referrals.models import Referral

        return self.filter(
            models.Q(case__in=Case.objects.visible_to(user))
            | models.Q(referral__in=Referral.objects.visible_to(user))
        )


class Review(models.Model):
    """The three-monthly review (seed 004: "every open referral is revisited and closed where
    possible every three months"): one per open case, or per referral still open at a gateway,
    per quarter."""

    quarter_start = models.DateField()
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
    )
    decision = models.CharField(
        max_length=10, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-quarter_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "quarter_start"], name="one_review_per_case_per_quarter"
            ),
            models.UniqueConstraint(
                fields=["referral", "quarter_start"], name="one_review_per_referral_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, referral__isnull=True)
                | models.Q(case__isnull=True, referral__isnull=False),
                name="review_of_a_case_or_a_referral",
            ),
        ]

    def __str__(self):
        return f"Review for the quarter from {self.quarter_start}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("cases:review", args=[self.pk])

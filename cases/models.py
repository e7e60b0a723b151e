"""Casework: a referral allocated to a caseworker becomes a case, with its contacts."""

import pghistory
from django.conf import settings
from django.db import models


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

    class Meta:
        verbose_name_plural = "service settings"

    def __str__(self):
        return f"Settings for {self.service}"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


TRANSITIONS = {CaseStatus.OPEN: {CaseStatus.CLOSED}, CaseStatus.CLOSED: set()}


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        from accounts.policy import case_filter

        return self.filter(case_filter(user))


@pghistory.track()
class Case(models.Model):
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="case"
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
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["caseworker", "status"], name="case_caseload")]

    def __str__(self):
        return f"Case for {self.pupil} ({self.service})"


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


@pghistory.track()
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

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date}"

"""Pastoral Support Plans, Behaviour Improvement Plans and part-time timetables."""

import pghistory
from django.conf import settings
from django.db import models

from config.sync import ExternalIdField, UpdatedAtField, unique_external_id


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        from plans.access import plan_filter

        return self.filter(plan_filter(user))


class TimetableQuerySet(models.QuerySet):
    def visible_to(self, user):
        from plans.access import timetable_filter

        return self.filter(timetable_filter(user))


class BipQuerySet(models.QuerySet):
    def visible_to(self, user):
        from plans.access import bip_filter

        return self.filter(bip_filter(user))


class Outcome(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PARTLY = "partly", "Partly achieved"
    NOT_YET = "not_yet", "Not yet"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


# A plan ends once (a PSP with no next review, a part-time timetable back to full time); a new
# plan is written after it, rather than an ended one revived.
TRANSITIONS = {PlanStatus.ACTIVE: {PlanStatus.ENDED}, PlanStatus.ENDED: set()}
STANDS = {PlanStatus.ACTIVE: "is active", PlanStatus.ENDED: "has ended"}
DONE = {PlanStatus.ACTIVE: "made active", PlanStatus.ENDED: "ended"}


@pghistory.track(exclude=["updated_at"])
class PastoralSupportPlan(models.Model):
    """Seed 003: "a structured intervention for pupils at risk of permanent exclusion",
    "essentially a school based and owned process" involving the pupil, parent and family."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="psps")
    school = models.ForeignKey("pupils.School", on_delete=models.PROTECT, related_name="psps")
    start_date = models.DateField()
    planned_weeks = models.PositiveSmallIntegerField(default=16)
    review_every_weeks = models.PositiveSmallIntegerField(default=6)
    people_involved = models.TextField(
        "who is involved", help_text="The pupil, parents or carers, school staff, outside agencies"
    )
    pupil_views = models.TextField("the pupil's views, in their words", blank=True)
    parent_views = models.TextField("the parent or carer's views, in their words", blank=True)
    areas_of_concern = models.TextField()
    interventions_tried = models.TextField("interventions already tried", blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default="active")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = UpdatedAtField()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = "Pastoral Support Plan"

    def __str__(self):
        return f"PSP for {self.pupil} from {self.start_date:%-d %B %Y}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:psp", args=[self.pk])

    def completeness(self) -> dict[str, bool]:
        """What the PRT checks in a PSP (seed 000: "a comprehensive PSP which will be screened
        by the PRT"): each part present or not. The screening page reads it through the
        referral's link to the plan."""
        targets = list(self.targets.all())
        return {
            "pupil_views": bool(self.pupil_views.strip()),
            "parent_views": bool(self.parent_views.strip()),
            "targets_with_measures": bool(targets)
            and all(t.success_measure.strip() for t in targets),
            "strategies": bool(targets) and all(t.strategies.strip() for t in targets),
            "review_dates": self.next_review_date is not None or self.reviews.exists(),
            "interventions_tried": bool(self.interventions_tried.strip()),
        }

    def completeness_in_words(self) -> list[tuple[str, bool]]:
        """The same checks, each named as the screener and the school read it."""
        return [(COMPLETENESS_WORDS[key], ok) for key, ok in self.completeness().items()]


# What each part of :meth:`PastoralSupportPlan.completeness` is, in the screener's words.
COMPLETENESS_WORDS = {
    "pupil_views": "the pupil's views",
    "parent_views": "the parent or carer's views",
    "targets_with_measures": "targets, each with how success is measured",
    "strategies": "strategies for each target",
    "review_dates": "review dates",
    "interventions_tried": "what has been tried",
}


@pghistory.track()
class Target(models.Model):
    psp = models.ForeignKey(PastoralSupportPlan, on_delete=models.CASCADE, related_name="targets")
    description = models.TextField("target (specific and measurable)")
    strategies = models.TextField()
    who_does_what = models.TextField("who does what")
    success_measure = models.TextField("how success is measured")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.description[:60]


class PlanReview(models.Model):
    """A PSP review meeting: the outcome of every target, and the next review date."""

    psp = models.ForeignKey(PastoralSupportPlan, on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField()
    notes = models.TextField(blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"Review on {self.date}"


class TargetOutcome(models.Model):
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="outcomes")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "target"], name="one_outcome_per_target")
        ]

    def __str__(self):
        return f"{self.target}: {self.get_outcome_display()}"


@pghistory.track(exclude=["updated_at"])
class BehaviourImprovementPlan(models.Model):
    """Seed 000: BOSS's BIP "will become a legacy document used by the school to plan,
    implement, and review on-going support" after BOSS withdraws."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="bip")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="bips")
    school = models.ForeignKey(
        "pupils.School", on_delete=models.PROTECT, null=True, related_name="bips"
    )
    understanding_of_needs = models.TextField("our understanding of the pupil's needs")
    strategies = models.TextField()
    targets = models.TextField()
    who_does_what = models.TextField("who does what")
    next_review_date = models.DateField(null=True, blank=True)
    handed_to_school_on = models.DateField(
        null=True, blank=True, help_text="Set when the case closes: the school's from then on."
    )
    updated_at = UpdatedAtField()

    objects = BipQuerySet.as_manager()

    class Meta:
        verbose_name = "Behaviour Improvement Plan"

    def __str__(self):
        return f"Behaviour Improvement Plan (BIP) for {self.pupil}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:bip", args=[self.pk])


@pghistory.track(exclude=["updated_at"])
class PartTimeTimetable(models.Model):
    """Form PT1 (seed 003): "A part-time timetable must not be treated as a long-term
    solution" and must "have a time-limit" (DfE, School Attendance, p14). Every one is
    notified and "monitored by the service"."""

    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.PROTECT, related_name="part_time_timetables"
    )
    school = models.ForeignKey(
        "pupils.School", on_delete=models.PROTECT, related_name="part_time_timetables"
    )
    reason = models.TextField()
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    start_date = models.DateField()
    end_date = models.DateField()
    return_plan = models.TextField("plan for the return to full time")
    next_review_date = models.DateField()
    consent_given_by = models.CharField("parent who consented", max_length=150)
    consent_given_on = models.DateField("date of consent")
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default="active")
    last_extended_at = models.DateTimeField(null=True, blank=True)
    full_time_from = models.DateField(
        "back to full time from", null=True, blank=True,
        help_text="The day the pupil went back to a full-time timetable, which ended this one.",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    external_id = ExternalIdField()
    updated_at = UpdatedAtField()

    objects = TimetableQuerySet.as_manager()

    class Meta:
        ordering = ["end_date", "pk"]
        constraints = [
            unique_external_id("timetable"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="timetable_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"Part-time timetable for {self.pupil}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:timetable", args=[self.pk])


class TimetableReview(models.Model):
    timetable = models.ForeignKey(
        PartTimeTimetable, on_delete=models.CASCADE, related_name="reviews"
    )
    date = models.DateField()
    notes = models.TextField()
    next_review_date = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self):
        return f"Review on {self.date}"


@pghistory.track(exclude=["updated_at"])
class RiskAssessment(models.Model):
    """Seed 002, appendix 3: an individual risk assessment records the triggers, the early
    signs, the de-escalation strategies and the support in place, and is shared with the
    pupil, the parents and the staff who work with the pupil."""

    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    school = models.ForeignKey(
        "pupils.School", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    triggers = models.TextField()
    early_signs = models.TextField("early signs")
    de_escalation = models.TextField("de-escalation strategies")
    support_measures = models.TextField("support measures")
    review_date = models.DateField()
    shared_with_pupil_on = models.DateField(null=True, blank=True)
    shared_with_parents_on = models.DateField(null=True, blank=True)
    shared_with_staff_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = UpdatedAtField()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Risk assessment for {self.pupil}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("plans:risk-assessment", args=[self.pk])


@pghistory.track(exclude=["updated_at"])
class PepMeeting(models.Model):
    """Seed 002: every looked-after child has a Personal Education Plan meeting every term, at
    least three a year."""

    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="peps")
    school = models.ForeignKey("pupils.School", on_delete=models.PROTECT, related_name="peps")
    date = models.DateField()
    attendees = models.TextField("who attended")
    targets = models.TextField("education targets agreed")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = UpdatedAtField()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        verbose_name = "PEP meeting"

    def __str__(self):
        return f"PEP meeting for {self.pupil} on {self.date}"

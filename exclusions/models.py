"""Suspensions and permanent exclusions, their statutory steps, reviews and reintegration.

Time limits come from the School Discipline (Pupil Exclusions and Reviews) (England) Regulations
2012 and the Education (Provision of Full-Time Education for Excluded Pupils) (England)
Regulations 2007, as the DfE's statutory guidance "Suspension and permanent exclusion from
maintained schools, academies and pupil referral units in England, including pupil movement"
(in force from 26 July 2026) explains them; :mod:`exclusions.rules` counts them and names each
regulation. The numbers are data (``ExclusionRules``), so a change in the law is a change of
data."""

import pghistory
from django.conf import settings
from django.db import models

from audit.models import Activity
from config.sync import ExternalIdField, UpdatedAtField, unique_external_id
from exclusions.rules import NoticeSent


class ExclusionRules(models.Model):
    """The Regulations' numbers, one row. Defaults as in the 2012 and 2007 Regulations (and the
    2026 guidance, which did not change them)."""

    max_suspension_days_per_year = models.PositiveSmallIntegerField(
        default=45, help_text="No more than 45 school days of suspension in a school year."
    )
    board_must_meet_over_days = models.PositiveSmallIntegerField(
        default=15, help_text="Over 15 school days in a term: the board must consider."
    )
    board_meets_within = models.PositiveSmallIntegerField(
        default=15, help_text="School days from the board receiving notice, to consider."
    )
    parents_ask_threshold_days = models.PositiveSmallIntegerField(
        default=5, help_text="Over 5 (up to 15) days in a term: the board meets if parents ask."
    )
    parents_ask_meets_within = models.PositiveSmallIntegerField(
        default=50,
        help_text="When the parents ask (over 5 and up to 15 days in a term): school days from "
        "the board receiving notice of the suspension, not from the parents' request.",
    )
    provision_from_day = models.PositiveSmallIntegerField(
        default=6, help_text="Full-time education from the sixth school day."
    )
    review_application_within = models.PositiveSmallIntegerField(
        default=15, help_text="School days for parents to apply for an independent review."
    )
    panel_meets_within = models.PositiveSmallIntegerField(
        default=15, help_text="School days from the application to the panel meeting."
    )
    board_reconsiders_within = models.PositiveSmallIntegerField(
        default=10, help_text="School days to reconsider after the panel's decision."
    )
    repeat_suspensions_in_term = models.PositiveSmallIntegerField(default=2)
    repeat_suspensions_in_year = models.PositiveSmallIntegerField(default=3)

    class Meta:
        verbose_name_plural = "exclusion rules"

    def __str__(self):
        return "Exclusion rules"

    @classmethod
    def current(cls) -> "ExclusionRules":
        return cls.objects.order_by("pk").first() or cls()


class ReasonCode(models.Model):
    """The DfE's suspension and exclusion reason codes (school census)."""

    code = models.CharField(max_length=4, unique=True)
    label = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}: {self.label}"


class Kind(models.TextChoices):
    SUSPENSION = "suspension", "Suspension"
    PERMANENT = "permanent", "Permanent exclusion"


class Status(models.TextChoices):
    NOTIFIED = "notified", "Notified"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REINSTATED = "reinstated", "Reinstated by the governing board"
    UPHELD = "upheld", "Upheld by the governing board"
    UNDER_REVIEW = "under_review", "Independent review requested"
    RECONSIDER = "reconsider", "Board to reconsider"
    CONCLUDED = "concluded", "Concluded"


TRANSITIONS = {
    Status.NOTIFIED: {Status.WITHDRAWN, Status.REINSTATED, Status.UPHELD, Status.CONCLUDED},
    Status.UPHELD: {Status.UNDER_REVIEW, Status.CONCLUDED},
    Status.UNDER_REVIEW: {Status.RECONSIDER, Status.CONCLUDED},
    Status.RECONSIDER: {Status.REINSTATED, Status.CONCLUDED},
    Status.WITHDRAWN: set(),
    Status.REINSTATED: set(),
    Status.CONCLUDED: set(),
}


STANDS = {
    Status.NOTIFIED: "is waiting for the governing board",
    Status.WITHDRAWN: "has been withdrawn",
    Status.REINSTATED: "has already been reinstated",
    Status.UPHELD: "has already been upheld by the governing board",
    Status.UNDER_REVIEW: "is already with an independent review panel",
    Status.RECONSIDER: "is already waiting for the board to reconsider",
    Status.CONCLUDED: "has concluded",
}
DONE = {
    Status.NOTIFIED: "notified",
    Status.WITHDRAWN: "withdrawn",
    Status.REINSTATED: "reinstated",
    Status.UPHELD: "upheld",
    Status.UNDER_REVIEW: "sent for independent review",
    Status.RECONSIDER: "sent back to the board",
    Status.CONCLUDED: "concluded",
}
# Live: the statutory steps may still be due. Nothing but the exclusion's own end (withdrawn,
# reinstated, off roll) cancels one of its deadlines.
LIVE_STATUSES = [Status.NOTIFIED, Status.UPHELD, Status.UNDER_REVIEW, Status.RECONSIDER]


class ExclusionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from exclusions.access import exclusion_filter

        return self.filter(exclusion_filter(user))

    def counted(self):
        """Suspensions and exclusions that stand (not withdrawn)."""
        return self.exclude(status=Status.WITHDRAWN)


@pghistory.track(exclude=["updated_at"])
class Exclusion(models.Model):
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.PROTECT, related_name="exclusions")
    school = models.ForeignKey("pupils.School", on_delete=models.PROTECT, related_name="exclusions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    start_date = models.DateField()
    sessions = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Length of a suspension in half-day sessions (a lunchtime counts as half a day).",
    )
    reasons = models.ManyToManyField(ReasonCode, related_name="+")
    description = models.TextField()
    misses_public_exam = models.BooleanField(default=False)
    exam_date = models.DateField(
        null=True, blank=True,
        help_text="The first public examination or national test the pupil would miss: the "
        "board considers the exclusion before it, so far as is reasonably practicable.",
    )  # fmt: skip
    parents_told_on = models.DateField()
    parents_told_how = models.CharField(max_length=100)
    work_set = models.TextField("work set for the first five school days", blank=True)
    virtual_school_contacted_on = models.DateField(null=True, blank=True)
    social_worker_told_on = models.DateField(null=True, blank=True)
    board_told_on = models.DateField(
        help_text="The day the head sent notice to the governing board and the local authority."
    )
    board_told_how = models.CharField(
        max_length=10, choices=NoticeSent.CHOICES, default=NoticeSent.EMAIL,
        help_text="By post, notice counts as received on the second working day after posting.",
    )  # fmt: skip
    recorded_by_la = models.BooleanField(
        default=False,
        help_text="Recorded by the authority's exclusions officer for the school (phoned in).",
    )
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NOTIFIED)
    parents_asked_board_on = models.DateField(null=True, blank=True)
    board_decided_on = models.DateField(null=True, blank=True)
    board_decision_note = models.TextField(blank=True)
    parents_told_of_decision_on = models.DateField(null=True, blank=True)
    parents_told_of_decision_how = models.CharField(
        max_length=10, choices=NoticeSent.CHOICES, blank=True
    )
    review_applied_on = models.DateField(null=True, blank=True)
    sen_expert_requested = models.BooleanField(default=False)
    panel_decided_on = models.DateField(null=True, blank=True)
    panel_decision = models.CharField(max_length=20, blank=True)
    board_told_of_panel_on = models.DateField(null=True, blank=True)
    sixth_day_provision = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    external_id = ExternalIdField()
    updated_at = UpdatedAtField()

    objects = ExclusionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["pupil", "start_date"], name="exclusion_pupil"),
            # The register, newest first, read a page at a time (keyset on date then id).
            models.Index(fields=["-start_date", "-id"], name="exclusion_register"),
        ]
        constraints = [
            unique_external_id("exclusion"),
            models.CheckConstraint(
                condition=models.Q(kind="permanent", sessions__isnull=True)
                | models.Q(kind="suspension", sessions__gte=1),
                name="suspension_has_a_length",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.pupil} from {self.start_date:%-d %B %Y}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("exclusions:detail", args=[self.pk])

    REFERENCE_PREFIX = "EXC-"

    @property
    def reference(self) -> str:
        """The exclusion's reference, quoted on its page and found by the search in the
        header."""
        return f"{self.REFERENCE_PREFIX}{self.pk:06d}"

    @property
    def reason_codes(self) -> list[str]:
        """The DfE reason codes given, in code order (from the prefetched reasons)."""
        return sorted(reason.code for reason in self.reasons.all())

    @property
    def days(self) -> float:
        return (self.sessions or 0) / 2

    @property
    def board_received_on(self):
        """When the board received notice: the day it was sent, or by post the second working
        day after (the 2012 Regulations)."""
        from exclusions.rules import notice_received_on

        return notice_received_on(self.board_told_on, self.board_told_how)


class PanelDecision(models.TextChoices):
    UPHOLD = "uphold", "Uphold the decision"
    RECOMMEND = "recommend", "Recommend the board reconsiders"
    QUASH = "quash", "Quash and direct the board to reconsider"


class ExclusionActivityKind(models.TextChoices):
    NOTIFIED = "notified", "Notified"
    WITHDRAWN = "withdrawn", "Withdrawn"
    PARENTS_ASKED = "parents_asked", "Parents asked the board to consider"
    BOARD = "board", "Governing board decided"
    PROVISION = "provision", "Sixth-day provision recorded"
    REVIEW_APPLIED = "review_applied", "Independent review applied for"
    PANEL = "panel", "Independent review panel decided"
    RECONSIDERED = "reconsidered", "Board reconsidered"
    OFF_ROLL = "off_roll", "Removed from roll"
    FLAG = "flag", "Flag"
    SUPPORT = "support", "Parent supported"
    REINTEGRATION = "reintegration", "Reintegration"
    OUTCOME = "outcome", "Outcome recorded"
    LETTER = "letter", "Letter to parents sent"


class ExclusionActivity(Activity):
    """What happened to a suspension or exclusion, for its history and the pupil's timeline."""

    exclusion = models.ForeignKey(Exclusion, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=ExclusionActivityKind.choices)


class SupportStage(models.TextChoices):
    STAGE_1 = "stage_1", "Stage 1: advice and information"
    STAGE_2 = "stage_2", "Stage 2: support at a meeting or appeal"


class ParentSupport(models.Model):
    """Seed 004: the behaviour officer supports a parent through an exclusion (B/ex3, B/ex4)."""

    exclusion = models.ForeignKey(Exclusion, on_delete=models.CASCADE, related_name="support")
    stage = models.CharField(max_length=10, choices=SupportStage.choices)
    meeting_on = models.DateField(null=True, blank=True)
    volunteer = models.CharField(max_length=150, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.get_stage_display()} for {self.exclusion}"


class OutcomeKind(models.TextChoices):
    MANAGED_MOVE = "managed_move", "Managed move"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    REINTEGRATION = "reintegration", "Reintegration into mainstream school"


class Outcome(models.Model):
    """What happened next (seed 001: Fair Access, managed moves, alternative provision)."""

    exclusion = models.ForeignKey(Exclusion, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=25, choices=OutcomeKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    provider = models.CharField(max_length=200, blank=True)
    meeting_on = models.DateField("reintegration meeting", null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self):
        return f"{self.get_kind_display()} from {self.start_date}"


class Situation(models.TextChoices):
    """The letters to parents, one for each situation the law treats differently."""

    SUSPENSION_SHORT = "suspension_short", "Suspension of 5 school days or fewer in a term"
    SUSPENSION_MEDIUM = "suspension_medium", "Suspension of 6 to 15 school days in a term"
    SUSPENSION_LONG = (
        "suspension_long",
        ("Suspension of more than 15 school days in a term, or missing a public examination"),
    )
    PERMANENT = "permanent", "Permanent exclusion"
    BOARD_UPHELD_PERMANENT = (
        "board_upheld_permanent",
        ("The governing board upholds a permanent exclusion"),
    )
    BOARD_DECISION = "board_decision", "The governing board's decision"
    PANEL_DECISION = "panel_decision", "The independent review panel's decision"


class LetterTemplateQuerySet(models.QuerySet):
    def in_force(self, situation: str, on, authority_id=None):
        """The version of a situation's letter in force on a day for an authority's schools:
        the latest to take effect of the national model and the authority's own versions (its
        own first, of two that take effect the same day)."""
        return (
            self.filter(situation=situation, effective_from__lte=on)
            .filter(models.Q(authority__isnull=True) | models.Q(authority_id=authority_id))
            .order_by("-effective_from", models.F("authority").asc(nulls_last=True), "-version")
            .first()
        )


@pghistory.track()
class LetterTemplate(models.Model):
    """A model letter kept as data: the words between the facts, versioned with the guidance
    it follows and the day it took effect. A letter already written keeps its version."""

    authority = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", help_text="Empty: the model letter every authority starts from.",
    )  # fmt: skip
    situation = models.CharField(max_length=30, choices=Situation.choices)
    version = models.PositiveSmallIntegerField()
    guidance = models.CharField(
        max_length=300, help_text="The guidance and regulations this version follows."
    )
    effective_from = models.DateField()
    body = models.TextField(
        help_text="The letter, paragraph by paragraph (a blank line between paragraphs); facts "
        "from the record in square brackets, such as [pupil] or [board by]."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LetterTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["situation", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "situation", "version"],
                name="one_letter_version",
                nulls_distinct=False,
                violation_error_message="Someone added this version at the same time: look again.",
            )
        ]

    def __str__(self):
        return f"{self.get_situation_display()}, version {self.version}"


class LetterSettings(models.Model):
    """What every letter of an authority's schools tells parents about advice and appeals."""

    authority = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="letter_settings"
    )
    sendiass = models.TextField(
        "SEND information, advice and support service (SENDIASS)", blank=True,
        help_text="Its name, telephone number, email address and website, as parents should "
        "see them.",
    )  # fmt: skip
    behaviour_officer = models.TextField(
        "parent partnership behaviour officer", blank=True,
        help_text="Free, impartial advice for parents about exclusion: name, telephone, email.",
    )  # fmt: skip
    review_address = models.TextField(
        "where to apply for an independent review", blank=True,
        help_text="The name and address (and email) applications for a review go to.",
    )  # fmt: skip

    def __str__(self):
        return f"Letter settings of {self.authority}"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", "Not sent yet"
    SENT = "sent", "Sent"


# A letter is written, changed while a draft, and sent once: a sent letter is kept as it was
# sent (a new letter is written if something has to be said again).
LETTER_TRANSITIONS = {LetterStatus.DRAFT: {LetterStatus.SENT}, LetterStatus.SENT: set()}


class Letter(models.Model):
    """A letter to parents written from an exclusion's record: its template version, the
    parts a person wrote, and when and how it was sent."""

    exclusion = models.ForeignKey(Exclusion, on_delete=models.CASCADE, related_name="letters")
    situation = models.CharField(max_length=30, choices=Situation.choices)
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="+")
    parts = models.JSONField(default=dict, help_text="The parts a person wrote, by name.")
    status = models.CharField(
        max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    sent_on = models.DateField(null=True, blank=True)
    sent_how = models.CharField(max_length=10, choices=NoticeSent.CHOICES, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    notify_id = models.CharField(max_length=100, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["exclusion", "situation"], name="one_letter_per_situation"
            )
        ]

    def __str__(self):
        return f"{self.get_situation_display()}: {self.exclusion}"

"""Term dates. School-day arithmetic and deadlines build on these."""

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from config.sync import UpdatedAtField
from deadlines.codes import Counting


class TermName(models.TextChoices):
    AUTUMN_1 = "autumn_1", "Autumn 1"
    AUTUMN_2 = "autumn_2", "Autumn 2"
    SPRING_1 = "spring_1", "Spring 1"
    SPRING_2 = "spring_2", "Spring 2"
    SUMMER_1 = "summer_1", "Summer 1"
    SUMMER_2 = "summer_2", "Summer 2"


@pghistory.track()
class Term(models.Model):
    """One half term of an authority's calendar, or of one school that sets its own dates
    (academies may). A school's own rows replace the authority's for that academic year."""

    authority = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="terms",
        limit_choices_to={"kind": "local_authority"},
    )
    school = models.ForeignKey(
        "pupils.School", on_delete=models.CASCADE, null=True, blank=True, related_name="terms"
    )
    academic_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the academic year starts in: 2026 for 2026 to 2027."
    )
    name = models.CharField(max_length=10, choices=TermName.choices)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "academic_year", "name"],
                nulls_distinct=False,
                name="one_term_per_calendar",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="term_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_name_display()} {self.academic_year}: {self.start_date} to {self.end_date}"
        )

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The term must end on or after the day it starts."})


@pghistory.track()
class InsetDay(models.Model):
    """A training day: school is closed to pupils though it falls in term."""

    authority = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="inset_days"
    )
    school = models.ForeignKey(
        "pupils.School", on_delete=models.CASCADE, null=True, blank=True, related_name="inset_days"
    )
    date = models.DateField()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "school", "date"],
                nulls_distinct=False,
                name="one_inset_day_per_calendar_date",
            )
        ]

    def __str__(self):
        return f"INSET day {self.date}"


class DeadlineKind(models.Model):
    """A kind of time limit: what it is, where the rule comes from, how it is counted, and
    (through its reminder steps) when people are reminded. Configured in the admin."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    source = models.CharField(
        max_length=300, help_text="Where the rule comes from: the seed or the DfE paragraph."
    )
    counting = models.CharField(max_length=20, choices=Counting.choices)
    default_length = models.IntegerField(
        help_text="How many days or weeks the limit is, counted from its start date."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ReminderStep(models.Model):
    """One reminder of a kind of deadline: ``offset`` school or calendar days from the due
    date (negative before it, zero on the day, positive once overdue)."""

    kind = models.ForeignKey(DeadlineKind, on_delete=models.CASCADE, related_name="steps")
    offset = models.IntegerField()
    counting = models.CharField(
        max_length=20,
        choices=[(Counting.SCHOOL_DAYS, "school days"), (Counting.CALENDAR_DAYS, "calendar days")],
        default=Counting.SCHOOL_DAYS,
    )
    label = models.CharField(max_length=100, help_text='For example "Due in 5 school days".')

    class Meta:
        ordering = ["kind", "offset"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "offset", "counting"], name="one_step_per_offset"
            )
        ]

    def __str__(self):
        return f"{self.kind}: {self.label}"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    MISSED = "missed", "Missed"
    WAIVED = "waived", "Waived"
    CANCELLED = "cancelled", "Cancelled"


# Which status may follow which. A missed deadline can still be met (late) or waived.
DEADLINE_TRANSITIONS = {
    DeadlineStatus.OPEN: {
        DeadlineStatus.MET,
        DeadlineStatus.MISSED,
        DeadlineStatus.WAIVED,
        DeadlineStatus.CANCELLED,
    },
    DeadlineStatus.MISSED: {DeadlineStatus.MET, DeadlineStatus.WAIVED, DeadlineStatus.CANCELLED},
    DeadlineStatus.MET: set(),
    DeadlineStatus.WAIVED: set(),
    DeadlineStatus.CANCELLED: set(),
}
LIVE_STATUSES = [DeadlineStatus.OPEN, DeadlineStatus.MISSED]


class DeadlineQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def visible_to(self, user):
        from deadlines.access import deadline_filter

        return self.filter(deadline_filter(user))


@pghistory.track(exclude=["updated_at"])
class Deadline(models.Model):
    """Every time limit in the product. ``subject`` is whatever the deadline is about (a
    referral, a case, an exclusion…), through a generic relation so that each app can add
    deadlines without changing this table; ``pupil`` and ``school`` are kept as real foreign
    keys because access and school-day counting depend on them."""

    kind = models.ForeignKey(DeadlineKind, on_delete=models.PROTECT, related_name="deadlines")
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    pupil = models.ForeignKey(
        "pupils.Pupil", on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    school = models.ForeignKey(
        "pupils.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
        help_text="Whose calendar counts the school days.",
    )
    title = models.CharField(max_length=200)
    start_date = models.DateField(help_text="The day the count starts from.")
    length = models.IntegerField()
    counting = models.CharField(max_length=20, choices=Counting.choices)
    due_date = models.DateField()
    due_time = models.TimeField(null=True, blank=True)
    counting_note = models.CharField(max_length=500, help_text="How the due date was counted.")
    provisional = models.BooleanField(
        default=False,
        help_text="Counted on the typical calendar: a school year's term dates are not entered "
        "yet. Counted again when they are.",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadlines",
    )
    owner_role = models.CharField(max_length=30, blank=True)
    status = models.CharField(
        max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    reason = models.TextField(blank=True, help_text="Why it was waived, cancelled or recreated.")
    recreated_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recreated_as",
        help_text="The deadline closed in error that this one puts back (reconcile_deadlines).",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    met_on = models.DateField(null=True, blank=True, help_text="The day what it asks for was done.")
    next_reminder_on = models.DateField(
        null=True, blank=True, help_text="When the next reminder step falls due."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = UpdatedAtField()

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(
                fields=["next_reminder_on", "id"],
                name="deadline_reminder_due",
                condition=models.Q(status__in=["open", "missed"], next_reminder_on__isnull=False),
            ),
            models.Index(
                fields=["due_date"],
                name="deadline_open_due",
                condition=models.Q(status="open"),
            ),
            models.Index(fields=["subject_type", "subject_id"], name="deadline_subject"),
            models.Index(fields=["owner_user", "status", "due_date"], name="deadline_owner"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False)
                | models.Q(owner_organisation__isnull=False),
                name="deadline_has_an_owner",
            )
        ]

    def __str__(self):
        return f"{self.title} (due {self.due_date:%-d %B %Y})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class NotificationStatus(models.TextChoices):
    """An e-mail's way through the outbox, as GOV.UK Notify reports it: ``sending`` is
    committed before the mail server is called and ``sent`` after it answers, so a worker that
    dies in between leaves ``sending``, which becomes ``unknown`` ("may have been sent") and is
    never sent again by itself."""

    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    UNKNOWN = "unknown", "May have been sent"
    FAILED = "failed", "Failed"


# The outbox's way (an e-mail's and a webhook's): claimed as ``sending`` before the far end is
# called; then sent, tried again later (pending), failed for good, or "may have been sent"
# when the answer was lost. Only a person sends a failed or unknown message again.
OUTBOX_TRANSITIONS = {
    NotificationStatus.PENDING: {NotificationStatus.SENDING},
    NotificationStatus.SENDING: {
        NotificationStatus.SENT,
        NotificationStatus.PENDING,
        NotificationStatus.FAILED,
        NotificationStatus.UNKNOWN,
    },
    NotificationStatus.SENT: set(),
    NotificationStatus.FAILED: {NotificationStatus.PENDING},
    NotificationStatus.UNKNOWN: {NotificationStatus.PENDING},
}


def outbox_indexes(prefix: str) -> list[models.Index]:
    """What an outbox's sender reads (``deadlines.services.delivery``): the rows waiting, in
    the order they are due, and those left ``sending``; each a partial index of those rows."""
    return [
        models.Index(
            fields=["next_attempt_at", "id"],
            name=f"{prefix}_pending",
            condition=models.Q(status="pending"),
        ),
        models.Index(
            fields=["sending_since"],
            name=f"{prefix}_sending",
            condition=models.Q(status="sending"),
        ),
    ]


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from deadlines.access import notification_filter

        return self.filter(notification_filter(user))

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """The outbox: one row per (deadline, reminder step, recipient), unique, so a reminder
    written twice is written once. In-app it shows at once; by e-mail it is sent by
    ``deliver_notifications`` at most once: marked ``sending`` before the mail server is
    called and ``sent`` once it has answered (see ``NotificationStatus``)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    to_email = models.EmailField(
        blank=True, help_text="For someone with no account (a parent): e-mail only."
    )
    authority = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For an e-mail to someone with no account: the authority sending it.",
    )
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    step = models.ForeignKey(ReminderStep, on_delete=models.PROTECT, null=True, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "step", "recipient"], name="one_reminder_per_step_recipient"
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(to_email=""),
                name="notification_has_an_address",
            ),
        ]
        indexes = [
            *outbox_indexes("notification"),
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.subject} to {self.recipient or self.to_email}"

    @property
    def address(self) -> str:
        return self.recipient.email if self.recipient_id else self.to_email


class WebhookEndpoint(models.Model):
    """Where a school's system hears of changes to its records (a referral's status, the
    gateway's question, an exclusion's statutory steps), so that it need not ask every few
    minutes. Registered by the school's system through the API; each event is signed with the
    endpoint's secret, shown once when it is registered."""

    school = models.ForeignKey(
        "pupils.School", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=64, help_text="Signs every event (HMAC-SHA256).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    updated_at = UpdatedAtField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.url} ({self.school})"


class WebhookDelivery(models.Model):
    """One event for one endpoint: the webhooks' outbox, written in the transaction of the
    change it announces and sent by the same rules as an e-mail (``NotificationStatus``):
    ``sending`` committed before the endpoint is called, ``sent`` once it answers 2xx, tried
    again later when it refuses, and never sent again by itself when the answer was lost."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField()
    event = models.CharField(max_length=50)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="one_delivery_per_event_and_endpoint"
            )
        ]
        indexes = outbox_indexes("webhook")

    def __str__(self):
        return f"{self.event} to {self.endpoint.url}"

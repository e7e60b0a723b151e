"""The outbox: the reminder sweep writes notifications, the delivery task sends them."""

import datetime
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from config.actions import service_action
from deadlines.calendar import SchoolCalendar, calendars_for
from deadlines.context_processors import forget_unread
from deadlines.models import (
    Deadline,
    DeadlineStatus,
    Notification,
    ReminderStep,
)
from deadlines.services.deadlines import (
    members_of_owners,
    next_reminder_on,
    recipients,
    step_date,
)
from deadlines.services.delivery import queue_delivery_on_commit

logger = logging.getLogger(__name__)


@service_action
def mark_missed(actor, *, today: datetime.date | None = None) -> int:
    """Open deadlines whose due date has passed become missed (they can still be met late)."""
    today = today or timezone.localdate()
    return Deadline.objects.filter(status=DeadlineStatus.OPEN, due_date__lt=today).update(
        status=DeadlineStatus.MISSED
    )


def due_for_reminder(today: datetime.date):
    """Deadlines with a reminder due, read through the partial index ``deadline_reminder_due``:
    the cost follows the number due, not the size of the table."""
    return (
        Deadline.objects.live()
        .filter(next_reminder_on__lte=today)
        .order_by("next_reminder_on", "pk")
    )


def _reminder_text(deadline: Deadline, step: ReminderStep) -> tuple[str, str]:
    subject = f"{step.label}: {deadline.title}"
    link = settings.SITE_URL.rstrip("/") + reverse("deadlines:detail", args=[deadline.pk])
    provisional = (
        " (provisional: counted on a typical calendar until the term dates are entered)"
        if deadline.provisional
        else ""
    )
    body = (
        f"{deadline.title}\n\nDue: {deadline.due_date:%A %-d %B %Y}{provisional}\n"
        f"Counted as {deadline.counting_note}.\n\nSee it at {link}\n"
    )
    return subject, body


def sweep_reminders(*, today: datetime.date | None = None, batch: int = 500) -> int:
    """Write the reminders that are due, ``batch`` deadlines at a time. The batch is taken
    under row locks that other sweepers skip, and each row written under the unique (deadline,
    step, recipient) key, so two sweeps at once, or the same sweep twice, write each reminder
    once."""
    today = today or timezone.localdate()
    mark_missed(None, today=today)
    written = _remind_batch(None, today, batch)
    if written:
        queue_delivery_on_commit()
    return written


@service_action
def _remind_batch(actor, today: datetime.date, batch: int) -> int:
    """One transaction for the batch, and a handful of statements whatever its size: the
    deadlines locked and read with their kinds' steps, the organisations' members read once,
    every reminder inserted in one statement and every deadline's next reminder date set in
    another. (One transaction per deadline had cost a dozen statements each: 35 seconds for a
    day's 2,700 reminders at a million pupils.)"""
    due = list(
        due_for_reminder(today)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("kind", "school__organisation", "owner_user")
        .prefetch_related("kind__steps")[:batch]
    )
    if not due:
        return 0
    # Each school's calendar read once for the whole batch, not twice for every deadline.
    calendars = calendars_for(list({d.school_id: d.school for d in due if d.school_id}.values()))
    members = members_of_owners(due)
    now = timezone.now()
    rows = []
    for deadline in due:
        calendar = calendars.get(deadline.school_id)
        if calendar is None and deadline.school_id:
            calendar = SchoolCalendar(deadline.school, provisional=True)
        url = reverse("deadlines:detail", args=[deadline.pk])
        people = recipients(deadline, members)
        for step in deadline.kind.steps.all():
            if not deadline.next_reminder_on <= step_date(deadline, step, calendar) <= today:
                continue
            subject, body = _reminder_text(deadline, step)
            rows += [
                Notification(recipient=person, deadline=deadline, step=step, subject=subject,
                             body=body, url=url, next_attempt_at=now)
                for person in people
            ]  # fmt: skip
        deadline.next_reminder_on = next_reminder_on(deadline, after=today, calendar=calendar)
    sent = Notification.objects.filter(deadline__in=due)
    before = sent.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    forget_unread({row.recipient_id for row in rows})
    Deadline.objects.bulk_update(due, ["next_reminder_on"])
    return sent.count() - before


@service_action
def mark_notifications_read(actor, notifications) -> int:
    read = notifications.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread([actor.pk])
    return read


@service_action
def email_address(actor, address: str, *, subject: str, body: str, authority) -> Notification:
    """E-mail someone with no account (a parent), through the same outbox, on behalf of
    ``authority``, whose LA administrators (and nobody else's) see it on the operations page."""
    notification = Notification.objects.create(
        to_email=address, subject=subject[:200], body=body, next_attempt_at=timezone.now(),
        authority=authority,
    )  # fmt: skip
    queue_delivery_on_commit()
    return notification


@service_action
def notify_people(actor, people, *, subject: str, body: str, url: str = "") -> int:
    """Tell people something that is not a deadline reminder (a referral declined, a
    looked-after pupil referred): in-app at once, and by e-mail through the outbox."""
    now = timezone.now()
    rows = [
        Notification(
            recipient=person, subject=subject[:200], body=body, url=url, next_attempt_at=now
        )
        for person in {p.pk: p for p in people if p.is_active}.values()
    ]
    Notification.objects.bulk_create(rows)
    forget_unread(row.recipient_id for row in rows)
    if rows:
        queue_delivery_on_commit()
    return len(rows)

"""State changes for the school calendar, deadlines and their reminders.

The database is the source of truth for time: every time limit is a ``Deadline`` row, every
reminder a ``Notification`` row under a unique key. Celery tasks only call
:func:`sweep_reminders` and :func:`deliver_notifications`, which find their work in the database,
so a lost task, a dead worker or a restarted Redis is made good by the next run.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from audit.context import service_action
from config.errors import DomainError
from deadlines.calendar import CalendarDataMissing, SchoolCalendar
from deadlines.models import (
    DEADLINE_TRANSITIONS,
    Counting,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    InsetDay,
    Notification,
    NotificationStatus,
    ReminderStep,
    Term,
)

logger = logging.getLogger(__name__)


# ---- the calendar -------------------------------------------------------------------------


@service_action
def set_term_dates(
    actor,
    *,
    authority,
    academic_year: int,
    name: str,
    start_date: datetime.date,
    end_date: datetime.date,
    school=None,
) -> Term:
    """Record (or correct) one half term of an authority's calendar, or of one school's."""
    if end_date < start_date:
        raise DomainError("The term must end on or after the day it starts.", field="end_date")
    first, last = datetime.date(academic_year, 8, 1), datetime.date(academic_year + 1, 8, 31)
    if not (first <= start_date <= last and first <= end_date <= last):
        raise DomainError(
            f"The term must fall between 1 August {academic_year} and 31 August "
            f"{academic_year + 1}.",
            field="start_date",
        )
    clash = (
        Term.objects.filter(authority=authority, school=school, academic_year=academic_year)
        .exclude(name=name)
        .filter(start_date__lte=end_date, end_date__gte=start_date)
        .first()
    )
    if clash:
        raise DomainError(
            f"These dates overlap {clash.get_name_display()} "
            f"({clash.start_date:%-d %B %Y} to {clash.end_date:%-d %B %Y}).",
            field="start_date",
        )
    term, _ = Term.objects.update_or_create(
        authority=authority,
        school=school,
        academic_year=academic_year,
        name=name,
        defaults={"start_date": start_date, "end_date": end_date},
    )
    return term


@service_action
def add_inset_day(actor, *, authority, date: datetime.date, school=None) -> InsetDay:
    if date.weekday() >= 5:
        raise DomainError("An INSET day must be a weekday.", field="date")
    inset_day, _ = InsetDay.objects.get_or_create(authority=authority, school=school, date=date)
    return inset_day


@service_action
def remove_inset_day(actor, inset_day: InsetDay) -> None:
    inset_day.delete()


# ---- deadlines ----------------------------------------------------------------------------


def count_due_date(
    school, start: datetime.date, length: int, counting: str
) -> tuple[datetime.date, str]:
    """The due date and, in words, how it was counted."""
    if counting == Counting.CALENDAR_DAYS or school is None:
        due = start + datetime.timedelta(days=length)
        return due, f"{length} calendar days from {start:%A %-d %B %Y}"
    calendar = SchoolCalendar(school)
    if counting == Counting.SCHOOL_DAYS:
        due = calendar.add_school_days(start, length)
    else:
        due = calendar.add_school_weeks(start, length)
    unit = Counting(counting).label if length != 1 else Counting(counting).label[:-1]
    if length == 0:
        note = f"the same school day as {start:%A %-d %B %Y}, or the next school day after it"
    else:
        note = f"{length} {unit} from {start:%A %-d %B %Y}"
    note += f" on {school.name}'s calendar"
    closures = calendar.closures_between(start, due)
    if closures:
        note += ", skipping " + _join(closures)
    return due, note


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@service_action
def create_deadline(
    actor,
    *,
    kind: str | DeadlineKind,
    subject,
    start_date: datetime.date,
    title: str,
    owner_user=None,
    owner_organisation=None,
    owner_role: str = "",
    pupil=None,
    school=None,
    length: int | None = None,
    due_time: datetime.time | None = None,
) -> Deadline:
    """Open a deadline: count its due date on the school's calendar and schedule its first
    reminder. Counting into a year with no term dates is refused (``CalendarDataMissing``)."""
    if isinstance(kind, str):
        kind = DeadlineKind.objects.get(code=kind)
    if owner_user is None and owner_organisation is None:
        raise DomainError("A deadline needs an owner: a person or an organisation.")
    length = kind.default_length if length is None else length
    due_date, note = count_due_date(school, start_date, length, kind.counting)
    deadline = Deadline(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        pupil=pupil,
        school=school,
        title=title,
        start_date=start_date,
        length=length,
        counting=kind.counting,
        due_date=due_date,
        due_time=due_time,
        counting_note=note,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        owner_role=owner_role,
    )
    deadline.next_reminder_on = _first_reminder_on(deadline, today=timezone.localdate())
    deadline.save()
    return deadline


DAY = datetime.timedelta(days=1)


def _transition(deadline: Deadline, status: str) -> None:
    if status not in DEADLINE_TRANSITIONS[deadline.status]:
        raise DomainError(
            f"This deadline is {deadline.get_status_display().lower()}: it cannot become "
            f"{DeadlineStatus(status).label.lower()}."
        )
    deadline.status = status
    if status != DeadlineStatus.MISSED:
        deadline.closed_at = timezone.now()
        deadline.next_reminder_on = None


@service_action
def satisfy_deadline(actor, deadline: Deadline) -> Deadline:
    """The thing the deadline asks for has been recorded (late, if it was missed)."""
    _transition(deadline, DeadlineStatus.MET)
    deadline.save(update_fields=["status", "closed_at", "next_reminder_on"])
    return deadline


@service_action
def satisfy_deadlines_for(actor, subject, kind_code: str) -> int:
    """Meet every live deadline of ``kind_code`` on ``subject``; the service that records the
    thing asked for calls this in its own transaction."""
    met = 0
    for deadline in _live_for(subject).filter(kind__code=kind_code).select_for_update():
        satisfy_deadline(actor, deadline)
        met += 1
    return met


@service_action
def waive_deadline(actor, deadline: Deadline, *, reason: str) -> Deadline:
    if not reason.strip():
        raise DomainError("Enter why this deadline no longer applies.", field="reason")
    _transition(deadline, DeadlineStatus.WAIVED)
    deadline.reason = reason.strip()
    deadline.save(update_fields=["status", "closed_at", "next_reminder_on", "reason"])
    return deadline


@service_action
def cancel_deadlines_for(actor, subject, *, reason: str) -> int:
    """Cancel every live deadline of a subject that has closed (a case closed, a referral
    declined). Their reminders stop."""
    cancelled = 0
    for deadline in _live_for(subject).select_for_update():
        _transition(deadline, DeadlineStatus.CANCELLED)
        deadline.reason = reason
        deadline.save(update_fields=["status", "closed_at", "next_reminder_on", "reason"])
        cancelled += 1
    return cancelled


def _live_for(subject):
    return Deadline.objects.live().filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )


# ---- reminders ----------------------------------------------------------------------------


def step_date(deadline: Deadline, step: ReminderStep, calendar=None) -> datetime.date:
    """When a reminder step falls due. With no term dates to count on, school days are
    counted as weekdays (logged): a reminder a day early is better than none."""
    if step.counting == Counting.CALENDAR_DAYS or deadline.school_id is None:
        return deadline.due_date + datetime.timedelta(days=step.offset)
    calendar = calendar or SchoolCalendar(deadline.school)
    try:
        return calendar.add_school_days(deadline.due_date, step.offset)
    except CalendarDataMissing:
        logger.warning("No term dates to place reminder %s of deadline %s", step.pk, deadline.pk)
        day, remaining = deadline.due_date, abs(step.offset)
        while remaining:
            day += DAY if step.offset > 0 else -DAY
            remaining -= day.weekday() < 5
        return day


def _step_dates(deadline: Deadline) -> list[datetime.date]:
    calendar = SchoolCalendar(deadline.school) if deadline.school_id else None
    return [step_date(deadline, step, calendar) for step in deadline.kind.steps.all()]


def _next_reminder_on(deadline: Deadline, *, after: datetime.date) -> datetime.date | None:
    upcoming = [d for d in _step_dates(deadline) if d > after]
    return min(upcoming) if upcoming else None


def _first_reminder_on(deadline: Deadline, *, today: datetime.date) -> datetime.date | None:
    """A deadline recorded late still gets the most recent reminder it has passed (say,
    "Overdue"), but not the ones before it."""
    dates = _step_dates(deadline)
    passed = [d for d in dates if d <= today]
    if passed:
        return max(passed)
    return min(dates) if dates else None


def recipients(deadline: Deadline) -> list:
    if deadline.owner_user_id:
        return [deadline.owner_user] if deadline.owner_user.is_active else []
    members = Membership.objects.active().filter(organisation=deadline.owner_organisation)
    if deadline.owner_role:
        members = members.filter(role=deadline.owner_role)
    return [m.user for m in members.select_related("user") if m.user.is_active]


def _reminder_text(deadline: Deadline, step: ReminderStep) -> tuple[str, str]:
    subject = f"{step.label}: {deadline.title}"
    link = settings.SITE_URL.rstrip("/") + reverse("deadlines:detail", args=[deadline.pk])
    body = (
        f"{deadline.title}\n\nDue: {deadline.due_date:%A %-d %B %Y}\n"
        f"Counted as {deadline.counting_note}.\n\nSee it at {link}\n"
    )
    return subject, body


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


def pending_delivery(now: datetime.datetime):
    """Notifications waiting to be e-mailed, through the partial index ``notification_pending``."""
    return Notification.objects.filter(
        status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")


def sweep_reminders(*, today: datetime.date | None = None, batch: int = 500) -> int:
    """Write the reminders that are due. Each deadline is taken under a row lock that other
    sweepers skip, and each row written under the unique (deadline, step, recipient) key, so
    two sweeps at once, or the same sweep twice, write each reminder once."""
    today = today or timezone.localdate()
    mark_missed(None, today=today)
    due_ids = list(due_for_reminder(today).values_list("pk", flat=True)[:batch])
    written = 0
    for pk in due_ids:
        written += _remind(pk, today)
    if written:
        transaction.on_commit(_queue_delivery)
    return written


@service_action
def _remind_one(actor, pk: int, today: datetime.date) -> int:
    deadline = (
        Deadline.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("kind", "school__organisation", "owner_user")
        .filter(pk=pk, next_reminder_on__lte=today)
        .first()
    )
    if deadline is None:  # another sweeper has it, or it was done meanwhile
        return 0
    calendar = SchoolCalendar(deadline.school) if deadline.school_id else None
    steps = [
        step
        for step in deadline.kind.steps.all()
        if deadline.next_reminder_on <= step_date(deadline, step, calendar) <= today
    ]
    now = timezone.now()
    rows = []
    for step in steps:
        subject, body = _reminder_text(deadline, step)
        for person in recipients(deadline):
            rows.append(
                Notification(
                    recipient=person,
                    deadline=deadline,
                    step=step,
                    subject=subject,
                    body=body,
                    url=reverse("deadlines:detail", args=[deadline.pk]),
                    next_attempt_at=now,
                )
            )
    before = deadline.notifications.count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    deadline.next_reminder_on = _next_reminder_on(deadline, after=today)
    deadline.save(update_fields=["next_reminder_on"])
    return deadline.notifications.count() - before


def _remind(pk: int, today: datetime.date) -> int:
    return _remind_one(None, pk, today)


def _queue_delivery():
    from deadlines.tasks import deliver_notifications_task

    deliver_notifications_task.delay()


def backoff(attempts: int) -> datetime.timedelta:
    """Wait 1, 2, 4, 8… minutes between tries, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 60))


def deliver_notifications(*, limit: int = 200) -> int:
    """Send pending e-mails, one per transaction: the row is locked (other workers skip it),
    sent, and marked sent in the same transaction. A worker killed half way leaves the row
    pending and unlocked for the next run: delivery is at least once, and the outbox records
    each notification sent once."""
    sent = 0
    for _ in range(limit):
        outcome = _deliver_next()
        if outcome is None:
            break
        sent += outcome
    return sent


@transaction.atomic
def _deliver_next() -> int | None:
    now = timezone.now()
    notification = (
        pending_delivery(now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .first()
    )
    if notification is None:
        return None
    notification.attempts += 1
    try:
        EmailMessage(
            subject=notification.subject,
            body=notification.body,
            to=[notification.recipient.email],
            headers={"X-Casework-Reference": f"notification-{notification.pk}"},
        ).send(using="default")
    except Exception as exc:
        notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            notification.status = NotificationStatus.FAILED
            logger.error(
                "Notification %s failed after %s tries", notification.pk, notification.attempts
            )
        else:
            notification.next_attempt_at = now + backoff(notification.attempts)
        notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return 0
    notification.status = NotificationStatus.SENT
    notification.sent_at = timezone.now()
    notification.save(update_fields=["attempts", "status", "sent_at"])
    return 1


@service_action
def retry_notification(actor, notification: Notification) -> Notification:
    if notification.status != NotificationStatus.FAILED:
        raise DomainError("Only a failed notification can be sent again.")
    notification.status = NotificationStatus.PENDING
    notification.attempts = 0
    notification.next_attempt_at = timezone.now()
    notification.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(_queue_delivery)
    return notification


@service_action
def mark_notifications_read(actor, notifications) -> int:
    return notifications.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@service_action
def copy_calendar_to_school(actor, *, school, authority, academic_year: int) -> list[Term]:
    """Give a school (an academy that sets its own dates) its own copy of the authority's
    terms for a year, to edit. From then on its own rows replace the authority's."""
    if Term.objects.filter(school=school, academic_year=academic_year).exists():
        raise DomainError("This school already has its own dates for that year.")
    source = Term.objects.filter(
        authority=authority, school__isnull=True, academic_year=academic_year
    )
    if not source.exists():
        raise DomainError("The authority has no dates for that year to start from.")
    return [
        Term.objects.create(
            authority=authority,
            school=school,
            academic_year=academic_year,
            name=term.name,
            start_date=term.start_date,
            end_date=term.end_date,
        )
        for term in source
    ]

"""Opening, meeting, waiving and cancelling deadlines, and placing their reminder steps."""

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Membership
from config import dates
from config.actions import locked, service_action
from config.errors import DomainError, require_transition
from deadlines.calendar import CalendarDataMissing, SchoolCalendar
from deadlines.models import (
    DEADLINE_TRANSITIONS,
    Counting,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    ReminderStep,
)
from deadlines.selectors import live_for

logger = logging.getLogger(__name__)

DAY = datetime.timedelta(days=1)


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
def create_deadline(actor, **fields) -> Deadline:
    """Open a deadline: count its due date on the school's calendar and schedule its first
    reminder. Counting into a year with no term dates is refused (``CalendarDataMissing``).
    ``fields`` are :func:`build_deadline`'s."""
    deadline = build_deadline(**fields)
    deadline.save()
    return deadline


def build_deadline(
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
    counting: str | None = None,
    due_date: datetime.date | None = None,
    due_time: datetime.time | None = None,
) -> Deadline:
    """The unsaved deadline :func:`create_deadline` saves; a sweep opening many at once builds
    them with this and writes them in one ``bulk_create`` (pass ``kind`` with its steps
    prefetched, so each costs no query)."""
    if isinstance(kind, str):
        kind = DeadlineKind.objects.get(code=kind)
    if owner_user is None and owner_organisation is None:
        raise DomainError("A deadline needs an owner: a person or an organisation.")
    length = kind.default_length if length is None else length
    counting = counting or kind.counting
    if due_date is None:
        due_date, note = count_due_date(school, start_date, length, counting)
    else:
        if due_date < start_date:
            raise DomainError("The due date must be on or after today.", field="due_date")
        problem = dates.out_of_range(due_date)
        if problem:
            raise DomainError(f"The due date {problem}", field="due_date")
        note = f"a date agreed on {start_date:%A %-d %B %Y}"
    deadline = Deadline(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),  # cached after the first
        subject_id=subject.pk,
        pupil=pupil,
        school=school,
        title=title if len(title) <= 200 else title[:199] + "…",
        start_date=start_date,
        length=length,
        counting=counting,
        due_date=due_date,
        due_time=due_time,
        counting_note=note,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
        owner_role=owner_role,
    )
    deadline.next_reminder_on = first_reminder_on(deadline, today=timezone.localdate())
    return deadline


def _transition(deadline: Deadline, status: str) -> None:
    require_transition(
        DEADLINE_TRANSITIONS,
        DeadlineStatus(deadline.status),
        DeadlineStatus(status),
        what="deadline",
        verb="become",
    )
    deadline.status = status
    if status != DeadlineStatus.MISSED:
        deadline.closed_at = timezone.now()
        deadline.next_reminder_on = None


@service_action
def satisfy_deadline(actor, deadline: Deadline, *, met_on: datetime.date | None = None):
    """The thing the deadline asks for has been recorded (late, if it was missed)."""
    locked(deadline)
    _transition(deadline, DeadlineStatus.MET)
    deadline.met_on = met_on or timezone.localdate()
    deadline.save(update_fields=["status", "closed_at", "next_reminder_on", "met_on"])
    return deadline


@service_action
def complete_action(actor, deadline: Deadline, *, done_on: datetime.date) -> Deadline:
    """Form B/ex4: the person who owns an agreed action marks it done, on the day it was
    done; done after its due date, it shows as met late."""
    if deadline.kind.code != DeadlineKind.ACTION:
        raise DomainError("Only an agreed action is marked done: this deadline is met by "
                          "recording what it asks for.")  # fmt: skip
    if done_on > timezone.localdate():
        raise DomainError("The date it was done must be today or in the past", field="done_on")
    if done_on < deadline.start_date:
        raise DomainError(
            f"The date it was done must be on or after {deadline.start_date:%-d %B %Y}, when "
            "the action was agreed",
            field="done_on",
        )
    return satisfy_deadline(actor, deadline, met_on=done_on)


@service_action
def satisfy_deadlines_for(actor, subject, kind_code: str) -> int:
    """Meet every live deadline of ``kind_code`` on ``subject``; the service that records the
    thing asked for calls this in its own transaction."""
    met = 0
    for deadline in live_for(subject, kind_code).select_for_update():
        satisfy_deadline(actor, deadline)
        met += 1
    return met


@service_action
def waive_deadline(actor, deadline: Deadline, *, reason: str) -> Deadline:
    locked(deadline)
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
    for deadline in live_for(subject).select_for_update():
        _transition(deadline, DeadlineStatus.CANCELLED)
        deadline.reason = reason
        deadline.save(update_fields=["status", "closed_at", "next_reminder_on", "reason"])
        cancelled += 1
    return cancelled


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


def _step_dates(deadline: Deadline, calendar=None) -> list[datetime.date]:
    if calendar is None and deadline.school_id:
        calendar = SchoolCalendar(deadline.school)
    return [step_date(deadline, step, calendar) for step in deadline.kind.steps.all()]


def next_reminder_on(
    deadline: Deadline, *, after: datetime.date, calendar=None
) -> datetime.date | None:
    upcoming = [d for d in _step_dates(deadline, calendar) if d > after]
    return min(upcoming) if upcoming else None


def first_reminder_on(deadline: Deadline, *, today: datetime.date) -> datetime.date | None:
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

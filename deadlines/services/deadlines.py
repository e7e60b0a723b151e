"""Opening, meeting, waiving and cancelling deadlines, and placing their reminder steps."""

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list

from accounts.models import Membership
from config import dates
from config.actions import locked, service_action
from config.errors import DomainError, require_transition
from deadlines.calendar import CalendarDataMissing, SchoolCalendar
from deadlines.codes import KindCode
from deadlines.models import (
    DEADLINE_TRANSITIONS,
    Counting,
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    ReminderStep,
)
from deadlines.selectors import live_for
from pupils.years import academic_year_label, academic_year_of

logger = logging.getLogger(__name__)

DAY = datetime.timedelta(days=1)


# ---- deadlines ----------------------------------------------------------------------------


def count_due_date(
    school, start: datetime.date, length: int, counting: str
) -> tuple[datetime.date, str, bool]:
    """The due date, how it was counted (in words), and whether it is provisional: counted
    into a school year whose term dates nobody has entered yet, on the typical calendar."""
    if counting == Counting.CALENDAR_DAYS or school is None:
        due = start + datetime.timedelta(days=length)
        return due, f"{length} calendar days from {start:%A %-d %B %Y}", False
    calendar = SchoolCalendar(school, provisional=True)
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
        note += ", skipping " + get_text_list(closures, "and")
    assumed = calendar.assumed_between(min(start, due), max(start, due))
    if assumed:
        years = get_text_list([academic_year_label(y) for y in assumed], "and")
        note += (
            f". Provisional: the term dates for {years} are not all entered yet, so a typical "
            "calendar was used; it is counted again when they are"
        )
    return due, note, bool(assumed)


@service_action
def create_deadline(actor, **fields) -> Deadline:
    """Open a deadline: count its due date on the school's calendar and schedule its first
    reminder. Counting into a year with no term dates is never refused: the deadline is counted
    on the typical calendar and marked provisional (:func:`recount_provisional`).
    ``fields`` are :func:`build_deadline`'s."""
    from deadlines.services.webhooks import announce

    deadline = build_deadline(**fields)
    deadline.save()
    if deadline.provisional:
        _ask_for_term_dates(deadline)
    announce(
        "deadline_set", fields["subject"], school=deadline.school, deadline=deadline.pk,
        deadline_kind=deadline.kind.code, due_date=deadline.due_date.isoformat(),
    )  # fmt: skip
    return deadline


def _ask_for_term_dates(deadline: Deadline) -> None:
    """Tell the authority's administrators that a deadline had to be counted on the typical
    calendar, once until they have read it."""
    from accounts.models import Role
    from deadlines.models import Notification
    from deadlines.services.reminders import notify_people

    year = academic_year_label(academic_year_of(deadline.due_date))
    subject = f"Term dates needed for {year}"
    admins = [
        m.user
        for m in Membership.objects.active()
        .filter(
            organisation_id=deadline.school.organisation.local_authority_id,
            role=Role.LA_ADMINISTRATOR,
        )
        .select_related("user")
    ]
    told = set(
        Notification.objects.filter(
            recipient__in=admins, subject=subject, read_at__isnull=True
        ).values_list("recipient_id", flat=True)
    )
    notify_people(
        None,
        [admin for admin in admins if admin.pk not in told],
        subject=subject,
        body=(
            f"A deadline at {deadline.school.name} runs into {year}, whose term dates are not "
            "entered: it has been counted on a typical calendar and shows as provisional. "
            "Enter the dates and every provisional deadline is counted again."
        ),
        url=reverse("deadlines:term-dates") + f"?year={academic_year_of(deadline.due_date)}",
    )


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
    due_by: tuple[datetime.date, str] | None = None,
) -> Deadline:
    """The unsaved deadline :func:`create_deadline` saves; a sweep opening many at once builds
    them with this and writes them in one ``bulk_create`` (pass ``kind`` with its steps
    prefetched, so each costs no query). ``due_by`` is (a date, why) for a limit that also
    applies: the deadline falls on the earlier of the two."""
    if isinstance(kind, str):
        kind = DeadlineKind.objects.get(code=kind)
    if owner_user is None and owner_organisation is None:
        raise DomainError("A deadline needs an owner: a person or an organisation.")
    length = kind.default_length if length is None else length
    counting = counting or kind.counting
    provisional = False
    if due_date is None:
        due_date, note, provisional = count_due_date(school, start_date, length, counting)
        if due_by is not None and due_by[0] < due_date:
            # An earlier limit that also applies (a public examination): the earlier counts.
            # Its date does not depend on the calendar, so it is never provisional.
            due_date, note, provisional = due_by[0], f"{due_by[1]} (earlier than {note})", False
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
        counting_note=note[:500],
        provisional=provisional,
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
    if deadline.kind.code != KindCode.ACTION:
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
    """When a reminder step falls due; past the term dates entered, on the typical calendar
    (as a provisional deadline is counted)."""
    if step.counting == Counting.CALENDAR_DAYS or deadline.school_id is None:
        return deadline.due_date + datetime.timedelta(days=step.offset)
    calendar = calendar or SchoolCalendar(deadline.school, provisional=True)
    try:
        return calendar.add_school_days(deadline.due_date, step.offset)
    except CalendarDataMissing:
        logger.warning("No term dates to place reminder %s of deadline %s", step.pk, deadline.pk)
        return SchoolCalendar(deadline.school, provisional=True).add_school_days(
            deadline.due_date, step.offset
        )


def _step_dates(deadline: Deadline, calendar=None) -> list[datetime.date]:
    if calendar is None and deadline.school_id:
        calendar = SchoolCalendar(deadline.school, provisional=True)
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


def recipients(deadline: Deadline, members: dict | None = None) -> list:
    """Who is reminded: the deadline's owner, or the active members of its owning organisation
    (in its role, if it names one). ``members``: the organisations' current memberships, read
    once for many deadlines by :func:`members_of_owners`."""
    if deadline.owner_user_id:
        return [deadline.owner_user] if deadline.owner_user.is_active else []
    if members is None:
        members = members_of_owners([deadline])
    return [
        m.user
        for m in members.get(deadline.owner_organisation_id, [])
        if m.user.is_active and (not deadline.owner_role or m.role == deadline.owner_role)
    ]


def members_of_owners(deadlines) -> dict[int, list]:
    """The current memberships of the organisations owning ``deadlines`` (those no one person
    owns), by organisation, with their users: one query for a whole sweep."""
    organisations = {d.owner_organisation_id for d in deadlines if not d.owner_user_id}
    organisations.discard(None)
    members: dict[int, list] = {}
    if organisations:
        for membership in (
            Membership.objects.active()
            .filter(organisation__in=organisations)
            .select_related("user")
            .order_by("pk")
        ):
            members.setdefault(membership.organisation_id, []).append(membership)
    return members


@service_action
def recount_provisional(actor, *, authority, school=None) -> int:
    """Term dates have been entered for ``authority`` (or one of its schools): count every live
    provisional deadline of its schools again. A deadline that no longer needs an assumed year
    stops being provisional; its due date and reminders move if the dates differ from the
    typical calendar's, and its history keeps what it was."""
    deadlines = (
        Deadline.objects.live()
        .filter(provisional=True, school__organisation__local_authority=authority)
        .exclude(counting=Counting.CALENDAR_DAYS)
        .select_related("school__organisation", "kind")
        .select_for_update(of=("self",))
    )
    if school is not None:
        deadlines = deadlines.filter(school=school)
    today = timezone.localdate()
    changed = 0
    for deadline in deadlines:
        due, note, provisional = count_due_date(
            deadline.school, deadline.start_date, deadline.length, deadline.counting
        )
        if (due, provisional) == (deadline.due_date, deadline.provisional):
            continue
        deadline.due_date, deadline.counting_note, deadline.provisional = (
            due,
            note[:500],
            provisional,
        )
        if deadline.next_reminder_on is not None:
            deadline.next_reminder_on = next_reminder_on(deadline, after=today - DAY)
        deadline.save(
            update_fields=["due_date", "counting_note", "provisional", "next_reminder_on"]
        )
        changed += 1
    return changed

"""Reads of deadlines that pages, the API and other apps' services share."""

import datetime

from django.contrib.contenttypes.models import ContentType

from deadlines.calendar import CalendarDataMissing
from deadlines.codes import Counting
from deadlines.models import Deadline


def deadlines_of(subject, kind_code: str | None = None):
    """Every deadline of one subject (of one kind, if given), whatever its status: never
    another record's. ``get_for_model`` is cached after its first call."""
    deadlines = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
    return deadlines if kind_code is None else deadlines.filter(kind__code=kind_code)


def live_for(subject, kind_code: str | None = None):
    """The live (open or missed) deadlines of one subject, of one kind if given."""
    return deadlines_of(subject, kind_code).live()


def live_of_kind(model, kind_code: str, subject_ids):
    """The live deadlines of one kind on many records of one model (the allocation clocks of
    a list of referrals), in one query; ``subject_ids`` may be a list or a subquery."""
    return Deadline.objects.live().filter(
        kind__code=kind_code,
        subject_type=ContentType.objects.get_for_model(model),
        subject_id__in=subject_ids,
    )


def live_deadline(subject, kind_code: str) -> Deadline | None:
    """The live deadline of ``kind_code`` on ``subject`` (an allocation clock, a review
    window), or ``None``."""
    return live_for(subject, kind_code).order_by("pk").first()


def recreated_by_kind(authority_ids, *, since) -> list[tuple[str, int]]:
    """How many deadlines ``reconcile_deadlines`` put back since a time, by kind, for the
    authorities' organisations and people: counts only (an administrator sees no case)."""
    from django.db.models import Count, Q

    mine = (
        Q(owner_organisation__in=authority_ids)
        | Q(owner_organisation__local_authority__in=authority_ids)
        | Q(owner_user__memberships__organisation__local_authority__in=authority_ids)
        | Q(owner_user__memberships__organisation__in=authority_ids)
    )
    ids = Deadline.objects.filter(mine, recreated_from__isnull=False, created_at__gte=since)
    return list(
        Deadline.objects.filter(pk__in=ids.values("pk"))
        .values_list("kind__name")
        .annotate(count=Count("pk"))
        .order_by("kind__name")
    )


def overdue_by(deadline: Deadline, today: datetime.date, calendars) -> str | None:
    """How late a live deadline is, in the units it is counted in, for the list."""
    if deadline.due_date >= today:
        return None
    calendar = calendars.get(deadline.school_id)
    if calendar is None or deadline.counting == Counting.CALENDAR_DAYS:
        days = (today - deadline.due_date).days
        return f"{days} day{'s' if days != 1 else ''} overdue"
    try:
        days = calendar.school_days_between(deadline.due_date, today)
    except CalendarDataMissing:
        return "Overdue"
    return f"{days} school day{'s' if days != 1 else ''} overdue"

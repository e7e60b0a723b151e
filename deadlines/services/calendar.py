"""Term dates and INSET days: the data school days are counted on."""

import datetime
import logging

from config.actions import service_action
from config.errors import DomainError
from deadlines.models import (
    InsetDay,
    Term,
)
from deadlines.services.deadlines import recount_provisional

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
    recount_provisional(actor, authority=authority, school=school)
    return term


@service_action
def add_inset_day(actor, *, authority, date: datetime.date, school=None) -> InsetDay:
    if date.weekday() >= 5:
        raise DomainError("An INSET day must be a weekday.", field="date")
    inset_day, _ = InsetDay.objects.get_or_create(authority=authority, school=school, date=date)
    recount_provisional(actor, authority=authority, school=school)
    return inset_day


@service_action
def remove_inset_day(actor, inset_day: InsetDay) -> None:
    inset_day.delete()
    recount_provisional(actor, authority=inset_day.authority, school=inset_day.school)


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
    terms = [
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
    recount_provisional(actor, authority=authority, school=school)
    return terms

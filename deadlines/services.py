"""State changes for the school calendar."""

import datetime

from audit.context import service_action
from config.errors import DomainError
from deadlines.models import InsetDay, Term


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
    inset_day, _ = InsetDay.objects.get_or_create(authority=authority, school=school, date=date)
    return inset_day

"""A caseload's rows, written in Python (:mod:`config.tables`): the caseworker's list and home
page show it on every visit."""

from django.utils.safestring import SafeString

from config.tables import Cell, day_and_date, record_urls, short_date, sort_key, table_rows


def caseload_rows(cases) -> SafeString:
    """Each case as the caseload shows it: the pupil (a link to the case), the school, weeks
    used against the service's maximum involvement, contacts against its minimum (seed 000),
    the next deadline and the last contact."""
    url_of_case = record_urls("cases:detail")
    return table_rows(_caseload_cells(case, url_of_case(case.pk)) for case in cases)


def _caseload_cells(case, url: str) -> list[Cell]:
    settings = case.settings
    if case.weeks_used is None:
        weeks = "Unknown"
    elif settings.maximum_involvement_weeks:
        weeks = f"{case.weeks_used} of {settings.maximum_involvement_weeks}"
    else:
        weeks = str(case.weeks_used)
    contacts = str(case.contact_count)
    if settings.minimum_contacts:
        contacts += f" of at least {settings.minimum_contacts}"
    next_due = f"{day_and_date(case.next_due)}: {case.next_title}" if case.next_due else "None due"
    return [
        Cell(case.pupil.display_name, href=url),
        Cell(case.school.name if case.school_id else ""),
        Cell(weeks, sort=case.weeks_used or 0),
        Cell(contacts, sort=case.contact_count),
        Cell(next_due, sort=sort_key(case.next_due, "99999999")),
        Cell(short_date(case.last_contact) if case.last_contact else "None yet",
             sort=sort_key(case.last_contact, "0")),
    ]  # fmt: skip

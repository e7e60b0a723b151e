import datetime

import pytest

from deadlines import services
from deadlines.models import InsetDay, Term, TermName
from deadlines.typical_terms import typical_terms
from tests.pupils.factories import SchoolFactory

D = datetime.date

# The authority's 2025 to 2026 calendar, written out; 2026 to 2027 is the typical calendar.
AUTHORITY_2025 = {
    TermName.AUTUMN_1: (D(2025, 9, 3), D(2025, 10, 24)),
    TermName.AUTUMN_2: (D(2025, 11, 3), D(2025, 12, 19)),
    TermName.SPRING_1: (D(2026, 1, 5), D(2026, 2, 13)),
    TermName.SPRING_2: (D(2026, 2, 23), D(2026, 3, 27)),
    TermName.SUMMER_1: (D(2026, 4, 13), D(2026, 5, 22)),
    TermName.SUMMER_2: (D(2026, 6, 1), D(2026, 7, 21)),
}
AUTHORITY_INSET = [D(2026, 1, 5)]

# An academy with its own 2025 to 2026 dates: its Easter holiday starts later, so Easter
# Monday (6 April 2026) falls inside its summer 1 term; it has its own INSET day.
ACADEMY_2025 = {
    **AUTHORITY_2025,
    TermName.SPRING_2: (D(2026, 2, 23), D(2026, 4, 2)),
    TermName.SUMMER_1: (D(2026, 4, 6), D(2026, 5, 22)),
}
ACADEMY_INSET = [D(2025, 10, 17)]


@pytest.fixture
def school(authority):
    """A maintained school on the authority's calendar (2025-26 and 2026-27 only)."""
    school = SchoolFactory(organisation__local_authority=authority, name="Oakfield Primary")
    for name, (start, end) in AUTHORITY_2025.items():
        Term.objects.create(
            authority=authority, academic_year=2025, name=name, start_date=start, end_date=end
        )
    for name, start, end in typical_terms(2026):
        Term.objects.create(
            authority=authority, academic_year=2026, name=name, start_date=start, end_date=end
        )
    for day in AUTHORITY_INSET:
        InsetDay.objects.create(authority=authority, date=day)
    return school


@pytest.fixture
def academy(school, authority):
    academy = SchoolFactory(organisation__local_authority=authority, name="Heath Academy")
    for name, (start, end) in ACADEMY_2025.items():
        services.set_term_dates(
            None,
            authority=authority,
            school=academy,
            academic_year=2025,
            name=name,
            start_date=start,
            end_date=end,
        )
    for day in ACADEMY_INSET:
        services.add_inset_day(None, authority=authority, school=academy, date=day)
    return academy

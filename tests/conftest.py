import datetime

import pytest

from accounts.models import Role
from deadlines import services as deadline_services
from deadlines.models import InsetDay, Term, TermName
from deadlines.typical_terms import typical_terms
from tests.accounts.factories import (
    GatewayFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VirtualSchoolFactory,
)
from tests.pupils.factories import SchoolFactory


def install_reference_data():
    from deadlines.kinds import install_default_kinds
    from exclusions.reference import install_reference_data as install_exclusion_data

    install_default_kinds()
    install_exclusion_data()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data from data migrations, put back for a reused test database (transactional
    tests empty every table when they finish)."""
    with django_db_blocker.unblock():
        install_reference_data()


@pytest.fixture
def deadline_kinds(db):
    """For transactional tests, which start from tables another such test has emptied."""
    install_reference_data()


@pytest.fixture
def authority(db):
    return LocalAuthorityFactory()


@pytest.fixture
def organisation_for_role(authority):
    """A fresh organisation of the kind each role is held in, in ``authority``."""

    def make(role: str, **fields):
        if role == Role.SCHOOL_STAFF:
            return SchoolFactory(organisation__local_authority=authority, **fields).organisation
        if role in {Role.LA_ADMINISTRATOR, Role.EXCLUSIONS_OFFICER, Role.LA_MANAGER}:
            return authority
        factory_class = {
            Role.GATEWAY_SCREENER: GatewayFactory,
            Role.VIRTUAL_SCHOOL_OFFICER: VirtualSchoolFactory,
        }.get(role, OrganisationFactory)
        return factory_class(local_authority=authority, **fields)

    return make


@pytest.fixture
def member(organisation_for_role):
    """``member(role, organisation=None)``: a user holding ``role``, signed in by ``client_for``."""

    def make(role: str, organisation=None, **user_fields):
        user = UserFactory(**user_fields)
        MembershipFactory(
            user=user, organisation=organisation or organisation_for_role(role), role=role
        )
        return user

    return make


def sign_in_with_two_factor(client, user):
    """Sign in as someone who has also entered their authenticator code this session."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(client):
    def sign_in(user):
        return sign_in_with_two_factor(client, user)

    return sign_in


# ---- school calendars ------------------------------------------------------------------

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
    install_calendar(authority)
    return school


def install_calendar(authority) -> None:
    """The authority's calendar for 2025 to 2026 (written out) and 2026 to 2027 (typical)."""
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


@pytest.fixture
def academy(school, authority):
    academy = SchoolFactory(organisation__local_authority=authority, name="Heath Academy")
    for name, (start, end) in ACADEMY_2025.items():
        deadline_services.set_term_dates(
            None,
            authority=authority,
            school=academy,
            academic_year=2025,
            name=name,
            start_date=start,
            end_date=end,
        )
    for day in ACADEMY_INSET:
        deadline_services.add_inset_day(None, authority=authority, school=academy, date=day)
    return academy

import datetime

import pytest
import time_machine

from accounts.models import OrganisationKind, Role
from referrals.models import Question
from tests.accounts.factories import GatewayFactory, OrganisationFactory, VirtualSchoolFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import ReferralTypeFactory

# A school day in the fixture calendar (tests/conftest.py): Monday 2 March 2026.
SCHOOL_DAY = datetime.datetime(2026, 3, 2, 10, 0)


@pytest.fixture(autouse=True)
def on_a_school_day():
    with time_machine.travel(SCHOOL_DAY, tick=False):
        yield


@pytest.fixture
def orgs(authority):
    def service(code, name):
        return OrganisationFactory(
            code=code, name=name, kind=OrganisationKind.SERVICE, local_authority=authority
        )

    return {
        "boss": service("boss", "BOSS"),
        "bass": service("bass", "BASS"),
        "bacme": service("bacme", "BACME"),
        "behaviour-officer": service("behaviour-officer", "Behaviour officer"),
        "prt": GatewayFactory(code="prt", name="PRT", local_authority=authority),
        "bacme-inbox": GatewayFactory(
            code="bacme-inbox", name="BACME inbox", local_authority=authority
        ),
        "virtual-school": VirtualSchoolFactory(local_authority=authority),
    }


def organisation_of(role, school, orgs):
    """Where a user of ``role`` works so that the fixture records are theirs to see: the school,
    the PRT gateway, BOSS or the virtual school; ``None`` for the authority's roles (the
    ``member`` fixture then picks the authority)."""
    return {
        Role.SCHOOL_STAFF: school.organisation,
        Role.GATEWAY_SCREENER: orgs["prt"],
        Role.CASEWORKER: orgs["boss"],
        Role.SERVICE_MANAGER: orgs["boss"],
        Role.VIRTUAL_SCHOOL_OFFICER: orgs["virtual-school"],
    }.get(role)


@pytest.fixture
def types(orgs):
    return {
        "boss": ReferralTypeFactory(
            code="boss-individual",
            name="BOSS individual referral",
            service=orgs["boss"],
            gateway=orgs["prt"],
            questions=[Question.LADDER],
            requires_psp_document=True,
        ),
        "bass": ReferralTypeFactory(
            code="bass-individual", name="BASS individual", service=orgs["bass"]
        ),
        "hsb": ReferralTypeFactory(
            code="bacme-hsb",
            name="BACME HSB",
            service=orgs["bacme"],
            gateway=orgs["bacme-inbox"],
            sensitive=True,
        ),
        "bacme-psp": ReferralTypeFactory(
            code="bacme-psp", name="BACME PSP", service=orgs["bacme"], gateway=orgs["bacme-inbox"]
        ),
        "bex2": ReferralTypeFactory(
            code="bex2",
            name="B/ex2",
            service=orgs["behaviour-officer"],
            questions=[Question.PROFESSIONAL],
            allows_incomplete=True,
            allocation_target_weeks=1,
        ),
    }


@pytest.fixture
def senco(school, member):
    return member(Role.SCHOOL_STAFF, organisation=school.organisation)


@pytest.fixture
def pupil(school):
    return pupil_at(school, legal_first_name="Riley", legal_last_name="Stone")


@pytest.fixture
def screener(orgs, member):
    return member(Role.GATEWAY_SCREENER, organisation=orgs["prt"])


@pytest.fixture
def boss_manager(orgs, member):
    return member(Role.SERVICE_MANAGER, organisation=orgs["boss"])

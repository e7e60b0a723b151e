import pytest

from accounts.models import Role
from tests.referrals.conftest import (  # noqa: F401  (shared fixtures)
    boss_manager,
    on_a_school_day,
    orgs,
    pupil,
    screener,
    senco,
    types,
)


@pytest.fixture
def caseworker(orgs, member):  # noqa: F811  (the shared fixture)
    """A caseworker of BOSS, the service the fixture referrals go to."""
    return member(Role.CASEWORKER, organisation=orgs["boss"])

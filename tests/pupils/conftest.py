import datetime

import pytest
import time_machine

from accounts.models import Role
from tests.accounts.factories import VirtualSchoolFactory


@pytest.fixture
def on_a_school_day():
    """Monday 2 March 2026, a school day of the fixture calendar (tests/conftest.py)."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0), tick=False):
        yield


@pytest.fixture
def officer(member, authority):
    """An officer of the authority's virtual school."""
    return member(Role.VIRTUAL_SCHOOL_OFFICER,
                  organisation=VirtualSchoolFactory(local_authority=authority))  # fmt: skip

import pytest

from accounts import services
from accounts.models import Role
from config.errors import DomainError
from tests.accounts.factories import UserFactory
from tests.pupils.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def test_a_caseworker_cannot_belong_to_a_school():
    school = SchoolFactory()
    with pytest.raises(DomainError, match="A caseworker cannot belong to a school"):
        services.grant_membership(None, UserFactory(), school.organisation, Role.CASEWORKER)


def test_granting_the_same_role_twice_keeps_one_membership():
    school = SchoolFactory()
    user = UserFactory()
    first = services.grant_membership(None, user, school.organisation, Role.SCHOOL_STAFF)
    again = services.grant_membership(None, user, school.organisation, Role.SCHOOL_STAFF)
    assert first == again
    assert user.memberships.count() == 1


def test_an_ended_membership_cannot_end_twice():
    school = SchoolFactory()
    membership = services.grant_membership(
        None, UserFactory(), school.organisation, Role.SCHOOL_STAFF
    )
    services.end_membership(None, membership)
    with pytest.raises(DomainError, match="already ended"):
        services.end_membership(None, membership)


def test_a_second_account_with_the_same_email_is_refused():
    services.create_user(None, email="Jo@School.example", full_name="Jo Bloggs")
    with pytest.raises(DomainError, match="already exists"):
        services.create_user(None, email="jo@school.example", full_name="Jo Bloggs")

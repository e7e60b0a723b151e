import pytest

from accounts.models import Role
from tests.accounts.factories import (
    GatewayFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VirtualSchoolFactory,
)
from tests.pupils.factories import SchoolFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data from data migrations, put back for a reused test database (transactional
    tests empty every table when they finish)."""
    from deadlines.kinds import install_default_kinds

    with django_db_blocker.unblock():
        install_default_kinds()


@pytest.fixture
def deadline_kinds(db):
    """For transactional tests, which start from tables another such test has emptied."""
    from deadlines.kinds import install_default_kinds

    install_default_kinds()


@pytest.fixture
def authority(db):
    return LocalAuthorityFactory()


@pytest.fixture
def organisation_for_role(authority):
    """A fresh organisation of the kind each role is held in, in ``authority``."""

    def make(role: str, **fields):
        if role == Role.SCHOOL_STAFF:
            return SchoolFactory(organisation__local_authority=authority, **fields).organisation
        if role == Role.LA_ADMINISTRATOR:
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


@pytest.fixture
def client_for(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in

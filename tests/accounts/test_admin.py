import pytest
from django.urls import reverse

from accounts.models import Organisation, OrganisationKind, Role
from pupils.models import School
from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for, member):
    user = member(Role.LA_ADMINISTRATOR, is_staff=True, is_superuser=True)
    return client_for(user)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_organisation_changelist",
        "admin:accounts_user_changelist",
        "admin:accounts_membership_changelist",
        "admin:pupils_school_changelist",
        "admin:pupils_school_add",
        "admin:accounts_user_add",
    ],
)
def test_configuration_pages_open(admin_client, url_name):
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_adding_a_school_also_creates_its_organisation(admin_client, authority):
    response = admin_client.post(
        reverse("admin:pupils_school_add"),
        {
            "name": "Lark Rise Primary School",
            "urn": "151515",
            "establishment_number": "2222",
            "phase": "primary",
            "school_type": "academy",
            "authority": authority.pk,
        },
    )
    assert response.status_code == 302
    school = School.objects.get(urn="151515")
    assert school.organisation.kind == OrganisationKind.SCHOOL
    assert school.organisation.local_authority == authority
    assert school.organisation.name == "Lark Rise Primary School"


def test_a_role_in_the_wrong_kind_of_organisation_is_refused(admin_client, authority):
    school = Organisation.objects.create(
        name="A school", kind=OrganisationKind.SCHOOL, code="school-x", local_authority=authority
    )
    response = admin_client.post(
        reverse("admin:accounts_membership_add"),
        {
            "user": MembershipFactory(role=Role.CASEWORKER).user.pk,
            "organisation": school.pk,
            "role": Role.CASEWORKER,
            "started_at_0": "2026-11-23",
            "started_at_1": "09:00:00",
        },
    )
    assert response.status_code == 200
    assert "This role cannot be held in this kind of organisation." in response.content.decode()
    assert not school.memberships.exists()


def test_school_staff_cannot_open_configuration(client_for, member):
    response = client_for(member(Role.SCHOOL_STAFF)).get(reverse("admin:index"))
    assert response.status_code == 302

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role
from tests.pupils.factories import LookedAfterPupilFactory, SchoolFactory, pupil_at

pytestmark = pytest.mark.django_db

HEADINGS = {
    Role.SCHOOL_STAFF: "Your work",
    Role.GATEWAY_SCREENER: "Screening",
    Role.CASEWORKER: "Your cases",
    Role.SERVICE_MANAGER: "Your service",
    Role.VIRTUAL_SCHOOL_OFFICER: "Children looked after and previously looked after",
    Role.LA_ADMINISTRATOR: "Configure the service",
    Role.EXCLUSIONS_OFFICER: "Suspensions and exclusions",
    Role.LA_MANAGER: "Quarterly figures",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_its_own_home_page(client_for, member, role):
    user = member(role)
    response = client_for(user).get(reverse("accounts:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-l">{HEADINGS[role]}</h1>' in html
    assert escape(user.full_name) in html
    assert user.memberships.get().organisation.name in html
    assert response.templates[0].name == f"home/{role}.html"


def test_school_staff_home_lists_their_schools_with_pupils_on_roll(client_for, member, authority):
    school = SchoolFactory(organisation__local_authority=authority)
    pupil_at(school)
    pupil_at(school)
    user = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    response = client_for(user).get(reverse("accounts:home"))
    assert [(s.name, s.on_roll) for s in response.context["schools"]] == [(school.name, 2)]


def test_virtual_school_home_counts_looked_after_pupils(client_for, member, authority):
    pupil_at(SchoolFactory(organisation__local_authority=authority), LookedAfterPupilFactory)
    pupil_at(SchoolFactory(organisation__local_authority=authority))
    pupil_at(SchoolFactory(), LookedAfterPupilFactory)  # another authority's child
    response = client_for(member(Role.VIRTUAL_SCHOOL_OFFICER)).get(reverse("accounts:home"))
    assert response.context["looked_after"] == 1
    assert response.context["previously_looked_after"] == 0


def test_navigation_follows_the_role(client_for, member):
    admin_html = client_for(member(Role.LA_ADMINISTRATOR)).get("/").content.decode()
    assert "Access log" in admin_html
    assert ">Pupils<" not in admin_html


def test_user_in_two_organisations_can_switch(client, member, organisation_for_role):
    from tests.accounts.factories import MembershipFactory

    first = organisation_for_role(Role.SCHOOL_STAFF)
    second = organisation_for_role(Role.SCHOOL_STAFF)
    user = member(Role.SCHOOL_STAFF, organisation=first)
    other = MembershipFactory(user=user, organisation=second, role=Role.SCHOOL_STAFF)
    client.force_login(user)
    response = client.post(reverse("accounts:switch-organisation"), {"membership": other.pk})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert f'data-testid="current-organisation">{second.name}<' in html


def test_switching_to_someone_elses_membership_is_refused(client_for, member):
    from accounts.models import Membership

    stranger = Membership.objects.get(user=member(Role.CASEWORKER))
    client = client_for(member(Role.CASEWORKER))
    response = client.post(reverse("accounts:switch-organisation"), {"membership": stranger.pk})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_user_without_membership_is_told_what_to_do(client_for, db):
    from tests.accounts.factories import UserFactory

    response = client_for(UserFactory()).get("/")
    assert response.status_code == 403
    assert "not linked to an organisation" in response.content.decode()

"""The LA administrator manages the authority's people in the product's own pages: adds
someone with a role, gives and ends roles, and resets a lost authenticator app."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import AccountEvent, Membership, Role, User
from config.errors import DomainError
from tests.accounts.factories import UserFactory
from tests.pupils.factories import SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(member):
    return member(Role.LA_ADMINISTRATOR)


def test_a_person_is_added_with_a_role_and_sent_a_link_to_set_a_password(
    client_for, admin, authority
):
    school = SchoolFactory(organisation__local_authority=authority, name="Elm Primary")
    response = client_for(admin).post(
        reverse("accounts:add-person"),
        {"full_name": "Kim Lee", "email": "Kim.Lee@Elm.example", "job_title": "SENCO",
         "organisation": school.organisation.pk, "role": Role.SCHOOL_STAFF},
    )  # fmt: skip
    user = User.objects.get(email="kim.lee@elm.example")
    assert response["Location"] == reverse("accounts:person", args=[user.pk])
    assert [(m.organisation, m.role) for m in user.memberships.all()] == [
        (school.organisation, Role.SCHOOL_STAFF)
    ]
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["kim.lee@elm.example"]]


def test_a_role_that_does_not_fit_the_organisation_is_refused_by_the_field(
    client_for, admin, authority
):
    school = SchoolFactory(organisation__local_authority=authority)
    response = client_for(admin).post(
        reverse("accounts:add-person"),
        {"full_name": "Kim Lee", "email": "kim@elm.example", "organisation": school.organisation.pk,
         "role": Role.CASEWORKER},
    )  # fmt: skip
    assert response.status_code == 400
    assert "A caseworker cannot belong to a school." in response.content.decode()
    assert not User.objects.filter(email="kim@elm.example").exists()


def test_another_authority_s_organisations_and_people_are_out_of_reach(client_for, admin, member):
    elsewhere = SchoolFactory()  # another authority's school
    stranger = UserFactory()
    Membership.objects.create(
        user=stranger, organisation=elsewhere.organisation, role="school_staff"
    )
    client = client_for(admin)
    assert client.get(reverse("accounts:person", args=[stranger.pk])).status_code == 404
    assert stranger not in client.get(reverse("accounts:people")).context["page"].object_list
    with pytest.raises(DomainError, match="your authority's organisations"):
        services.grant_membership(admin, stranger, elsewhere.organisation, Role.SCHOOL_STAFF)
    with pytest.raises(DomainError, match="your authority's people"):
        services.reset_two_factor(admin, stranger)


def test_ending_a_role_asks_first_then_ends_only_that_role(client_for, admin, member, authority):
    person = member(Role.SCHOOL_STAFF)
    other_school = SchoolFactory(organisation__local_authority=authority)
    kept = Membership.objects.create(
        user=person, organisation=other_school.organisation, role=Role.SCHOOL_STAFF
    )
    ended = person.memberships.exclude(pk=kept.pk).get()
    client = client_for(admin)
    url = reverse("accounts:end-role", args=[person.pk, ended.pk])
    assert "End " in client.get(url).content.decode()
    ended.refresh_from_db()
    assert ended.ended_at is None  # asking changes nothing
    client.post(url)
    ended.refresh_from_db()
    kept.refresh_from_db()
    assert ended.ended_at is not None
    assert kept.ended_at is None


def test_resetting_an_authenticator_removes_only_that_person_s_devices_and_tells_them(
    client_for, admin, member, django_capture_on_commit_callbacks
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person, colleague = member(Role.CASEWORKER), member(Role.CASEWORKER)
    TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    TOTPDevice.objects.create(user=colleague, name="Phone", confirmed=True)
    client = client_for(admin)
    page = client.get(reverse("accounts:person", args=[person.pk]))
    assert page.context["has_authenticator"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:reset-two-factor", args=[person.pk]))
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert TOTPDevice.objects.filter(user=colleague).exists()
    assert AccountEvent.objects.filter(user=person, kind="authenticator_removed").exists()
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_an_administrator_does_not_reset_their_own_authenticator_or_end_their_own_role(admin):
    with pytest.raises(DomainError, match="another LA administrator"):
        services.reset_two_factor(admin, admin)
    with pytest.raises(DomainError, match="another LA administrator"):
        services.end_membership(admin, admin.memberships.get())


def test_only_an_la_administrator_has_the_people_pages(client_for, member):
    caseworker = member(Role.CASEWORKER)
    assert client_for(caseworker).get(reverse("accounts:people")).status_code == 403

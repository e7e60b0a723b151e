"""What every page reads about the person signed in (the user, the authenticator app they used
this session, their roles and their unread count) comes from the cache, so an empty page costs
no query; and every change to any of it is seen by the very next page, never ten minutes on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import Membership, Role
from deadlines import services as deadline_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(member):
    return member(Role.LA_ADMINISTRATOR)


def signed_in(client_for, user):
    """A person who has opened one page: everything about them is in the cache now."""
    client = client_for(user)
    assert client.get(reverse("accounts:home")).status_code == 200
    return client


def sent_to(client, name: str) -> bool:
    """Whether the person's next page sends them to ``name`` (sign in, set up an app)."""
    response = client.get(reverse("cases:mine"))
    return response.status_code == 302 and response.url.startswith(reverse(name))


def test_an_empty_signed_in_page_costs_no_query(client_for, member):
    client = signed_in(client_for, member(Role.SERVICE_MANAGER))
    client.get(reverse("pupils:search"))  # the session's once-a-minute write is behind it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("pupils:search"))
    assert response.status_code == 200
    assert [query["sql"] for query in queries.captured_queries] == []


def test_an_ended_role_is_gone_on_the_next_page(client_for, member, admin):
    caseworker = member(Role.CASEWORKER)
    client = signed_in(client_for, caseworker)
    services.end_membership(admin, Membership.objects.get(user=caseworker))
    assert client.get(reverse("accounts:home")).status_code == 403


def test_a_reset_authenticator_asks_for_a_new_one_on_the_next_page(client_for, member, admin):
    caseworker = member(Role.CASEWORKER)
    client = signed_in(client_for, caseworker)
    assert services.reset_two_factor(admin, caseworker) == 1
    assert sent_to(client, "accounts:two-factor-setup")


def test_a_changed_password_signs_out_every_other_session(client_for, member):
    caseworker = member(Role.CASEWORKER)
    client = signed_in(client_for, caseworker)
    services.set_password(caseworker, caseworker, "a-new-and-long-pass-phrase")
    assert sent_to(client, "accounts:sign-in")


def test_a_person_made_inactive_is_signed_out(client_for, member):
    caseworker = member(Role.CASEWORKER)
    client = signed_in(client_for, caseworker)
    caseworker.is_active = False
    caseworker.save(update_fields=["is_active"])
    assert sent_to(client, "accounts:sign-in")


def test_a_renamed_organisation_shows_its_new_name_to_everyone_in_it(client_for, member):
    caseworker = member(Role.CASEWORKER)
    client = signed_in(client_for, caseworker)
    organisation = Membership.objects.get(user=caseworker).organisation
    organisation.name = "Behaviour Outreach Support Service (North)"
    organisation.save(update_fields=["name"])
    html = client.get(reverse("accounts:home")).content.decode()
    assert "Behaviour Outreach Support Service (North)" in html


def test_the_unread_count_follows_each_notification_made_and_read(client_for, member):
    caseworker = member(Role.CASEWORKER)
    client = signed_in(client_for, caseworker)
    assert 'data-testid="unread-count"' not in client.get(reverse("accounts:home")).content.decode()
    deadline_services.notify_people(None, [caseworker], subject="A case for you", body="Read it")
    deadline_services.notify_people(None, [caseworker], subject="Another", body="Read it")
    html = client.get(reverse("accounts:home")).content.decode()
    assert 'data-testid="unread-count">2<' in html
    client.post(reverse("deadlines:mark-all-read"))
    html = client.get(reverse("accounts:home")).content.decode()
    assert 'data-testid="unread-count"' not in html


def test_one_person_s_cached_roles_never_reach_another(client_for, member):
    first, second = member(Role.CASEWORKER), member(Role.SCHOOL_STAFF)
    signed_in(client_for, first)
    from django.test import Client

    from tests.conftest import sign_in_with_two_factor

    other = sign_in_with_two_factor(Client(), second)
    response = other.get(reverse("accounts:home"))
    assert response.context["current_membership"].role == Role.SCHOOL_STAFF
    assert response.context["user"].pk == second.pk

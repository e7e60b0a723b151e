"""WCAG 2.2.1: a caseworker who types contact notes for longer than the 30-minute idle limit
loses nothing. The form sent after the session ended is kept through the sign-in, shown again
filled in, and saved only when they send it again; nobody else who signs in on that browser
sees it."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import Contact
from tests.cases.factories import CaseOpenFactory
from tests.conftest import sign_in_with_two_factor
from tests.pupils.factories import pupil_at
from tests.referrals.factories import ReferralAllocatedFactory

pytestmark = pytest.mark.django_db

NOTES = "Met Riley and his mother; agreed a morning check-in with the learning mentor."


@pytest.fixture
def case(types, school, caseworker):
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    return CaseOpenFactory(referral=referral, caseworker=caseworker)


def _end_the_session(client):
    """30 minutes without a request: PostgreSQL's copy has expired, and Redis has dropped its
    own (it keeps a session only as long as the session lasts)."""
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import cache

    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(minutes=1)
    )
    cache.delete(KEY_PREFIX + key)


def _send_notes(client, case):
    return client.post(
        reverse("cases:record-contact", args=[case.pk]),
        {"date_0": "2", "date_1": "3", "date_2": "2026", "kind": "school_visit",
         "participants": "Riley, mother, mentor", "duration_minutes": "45", "notes": NOTES},
    )  # fmt: skip


def test_notes_sent_after_the_session_ended_come_back_after_signing_in(client, caseworker, case):
    sign_in_with_two_factor(client, caseworker)
    _end_the_session(client)
    response = _send_notes(client, case)
    url = reverse("cases:record-contact", args=[case.pk])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert not Contact.objects.exists()

    sign_in_with_two_factor(client, caseworker)
    page = client.get(url)
    html = page.content.decode()
    assert NOTES in html
    assert "What you typed is below" in html
    assert not Contact.objects.exists()  # nothing is saved until they send it again
    assert NOTES not in client.get(url).content.decode()  # shown once


def test_someone_else_signing_in_on_that_browser_never_sees_them(
    client, caseworker, case, member, orgs
):
    sign_in_with_two_factor(client, caseworker)
    _end_the_session(client)
    _send_notes(client, case)
    colleague = member(Role.CASEWORKER, organisation=orgs["boss"])
    case.caseworker = colleague
    case.save()
    sign_in_with_two_factor(client, colleague)
    assert NOTES not in client.get(reverse("cases:record-contact", args=[case.pk])).content.decode()


def test_a_form_sent_with_no_session_at_all_keeps_nothing(client, case):
    _send_notes(client, case)
    assert "kept_form" not in client.session

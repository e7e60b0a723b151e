import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_wrong_password_shows_a_govuk_error_summary(client, member):
    user = member(Role.CASEWORKER)
    response = client.post(reverse("accounts:sign-in"), {"email": user.email, "password": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert '<a href="#id_email">Enter a correct email address and password</a>' in html
    assert "<title>Error: Sign in" in html
    assert "_auth_user_id" not in client.session


def test_missing_fields_get_messages_by_each_field(client, db):
    response = client.post(reverse("accounts:sign-in"), {"email": "not-an-email", "password": ""})
    html = response.content.decode()
    assert '<a href="#id_email">Enter an email address in the correct format' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'id="id_password-error" class="govuk-error-message"' in html
    assert "govuk-input--error" in html
    assert 'value="not-an-email"' in html  # what was typed is kept


def test_correct_password_signs_in_and_goes_home(client, member):
    user = member(Role.CASEWORKER)
    response = client.post(
        reverse("accounts:sign-in"), {"email": user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_pages_need_sign_in(client, db):
    response = client.get(reverse("pupils:search"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_sign_out_ends_the_session(client_for, member):
    client = client_for(member(Role.CASEWORKER))
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def _redis_ttl(session_key: str) -> int:
    """How long Redis keeps the session's cached copy, in seconds."""
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import cache

    key = cache.make_and_validate_key(KEY_PREFIX + session_key)
    return cache._cache.get_client(key).ttl(key)


def test_the_session_ends_30_minutes_after_the_last_request_written_once_a_minute(
    client_for, member
):
    """WCAG 2.2.1: the session ends after 30 minutes without a request. Its end moves on with
    the requests, in PostgreSQL and in Redis alike, written at most once a minute: a second
    page within the minute writes nothing, a page after it writes the new end."""
    import datetime

    import time_machine
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_IDLE_TIMEOUT_MINUTES == 30
    client = client_for(member(Role.CASEWORKER))
    client.get(reverse("accounts:home"))
    key = client.session.session_key
    stored = Session.objects.get(session_key=key)
    remaining = (stored.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < remaining <= 30 * 60
    assert 29 * 60 < _redis_ttl(key) <= 30 * 60
    client.get(reverse("accounts:home"))
    assert Session.objects.get(session_key=key).expire_date == stored.expire_date
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=90), tick=False):
        client.get(reverse("accounts:home"))
        moved = Session.objects.get(session_key=key).expire_date
        assert 29 * 60 < (moved - timezone.now()).total_seconds() <= 30 * 60
    assert moved > stored.expire_date


def test_stay_signed_in_always_renews_the_session(client_for, member):
    """The timeout warning's "Stay signed in" renews the session even within the minute."""
    from django.contrib.sessions.models import Session

    client = client_for(member(Role.CASEWORKER))
    client.get(reverse("accounts:home"))
    key = client.session.session_key
    before = Session.objects.get(session_key=key).expire_date
    assert client.post(reverse("accounts:keep-alive")).status_code == 204
    assert Session.objects.get(session_key=key).expire_date > before


def test_idle_session_is_signed_out(client_for, member):
    """30 minutes on, PostgreSQL's copy has expired and Redis has dropped its own: the next
    page asks the person to sign in again."""
    import datetime

    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.contrib.sessions.models import Session
    from django.core.cache import cache
    from django.utils import timezone

    client = client_for(member(Role.CASEWORKER))
    assert client.get(reverse("accounts:home")).status_code == 200
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    cache.delete(KEY_PREFIX + key)  # as Redis does when the 30 minutes are up
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:sign-in"))


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_repeated_failures_lock_the_account_out(client, member, settings):
    user = member(Role.CASEWORKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:sign-in"), {"email": user.email, "password": "wrong"})
    response = client.post(reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD})
    assert response.status_code in {403, 429}
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_says_the_same_for_any_address_and_works(client, member):
    import re

    from django.core import mail

    user = member(Role.CASEWORKER)
    for address in (user.email, "nobody@council.example"):
        response = client.post(reverse("accounts:password-reset"), {"email": address})
        assert "If the address has an account" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    link = re.search(r"https?://[^/]+(/password-reset/[^\s]+/)", mail.outbox[0].body).group(1)
    weak = client.post(link, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 400
    assert "This password is too short" in weak.content.decode()
    done = client.post(
        link,
        {
            "new_password1": "a-new-long-passphrase-2026",
            "new_password2": "a-new-long-passphrase-2026",
        },
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase-2026")
    assert client.get(link).status_code == 400  # used once

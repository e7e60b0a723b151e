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


def test_each_request_renews_the_session_for_the_idle_timeout(client_for, member):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_IDLE_TIMEOUT_MINUTES == 30
    client = client_for(member(Role.CASEWORKER))
    client.get(reverse("accounts:home"))
    stored = Session.objects.get(session_key=client.session.session_key)
    remaining = (stored.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < remaining <= 30 * 60


def test_idle_session_is_signed_out(client_for, member):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = client_for(member(Role.CASEWORKER))
    assert client.get(reverse("accounts:home")).status_code == 200
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
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

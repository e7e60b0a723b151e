import re
import time

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code(device, at: float) -> str:
    """What the authenticator app shows at that moment."""
    with time_machine.travel(at, tick=False):
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client, user):
    return client.post(reverse("accounts:sign-in"), {"email": user.email, "password": PASSWORD})


def test_a_caseworker_must_set_up_and_use_two_factor(client, member):
    caseworker = member(Role.CASEWORKER)
    now = time.time()
    with time_machine.travel(now, tick=False):
        sign_in(client, caseworker)
        response = client.get(reverse("pupils:search"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:two-factor-setup"))
        setup = client.get(response.url)
        assert 'data-testid="qr"' in setup.content.decode()
        device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
        wrong = client.post(reverse("accounts:two-factor-setup"), {"token": "000000"})
        assert wrong.status_code == 400
        assert "Enter the 6-digit code from your authenticator app" in wrong.content.decode()
        right = client.post(
            reverse("accounts:two-factor-setup"),
            {"token": code(device, now), "next": reverse("pupils:search")},
        )
        assert right.status_code == 302 and right.url == reverse("pupils:search")
        assert client.get(reverse("pupils:search")).status_code == 200
    client.post(reverse("accounts:sign-out"))
    later = now + 120
    with time_machine.travel(later, tick=False):
        sign_in(client, caseworker)
        asked = client.get(reverse("accounts:home"))
        assert asked.url.startswith(reverse("accounts:two-factor") + "?")
        device.refresh_from_db()
        bad = client.post(reverse("accounts:two-factor"), {"token": "12345"})
        assert "Enter the code as 6 digits" in bad.content.decode()
        good = client.post(reverse("accounts:two-factor"), {"token": code(device, later)})
        assert good.status_code == 302
        assert client.get(reverse("accounts:home")).status_code == 200


def test_school_staff_are_not_forced_but_may_opt_in(client, member):
    senco = member(Role.SCHOOL_STAFF)
    sign_in(client, senco)
    assert client.get(reverse("accounts:home")).status_code == 200
    TOTPDevice.objects.create(user=senco, name="App", confirmed=True)
    client.post(reverse("accounts:sign-out"))
    sign_in(client, senco)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two-factor"))


def test_a_password_alone_cannot_add_an_authenticator(client, member):
    """The hole: with a password only, the setup page issued a fresh secret to a user who
    already had an authenticator, and its code verified the session."""
    caseworker = member(Role.CASEWORKER)
    own = TOTPDevice.objects.create(user=caseworker, name="Phone", confirmed=True)
    sign_in(client, caseworker)  # the password, as an attacker who has it

    setup = client.get(reverse("accounts:two-factor-setup"))
    assert setup.status_code == 302
    assert setup.url.startswith(reverse("accounts:two-factor") + "?")
    assert list(TOTPDevice.objects.filter(user=caseworker)) == [own]  # no new secret issued

    planted = TOTPDevice.objects.create(user=caseworker, name="Planted", confirmed=False)
    posted = client.post(
        reverse("accounts:two-factor-setup"), {"token": code(planted, time.time())}
    )
    assert posted.status_code == 302 and posted.url.startswith(reverse("accounts:two-factor"))
    planted.refresh_from_db()
    assert not planted.confirmed
    assert client.get(reverse("accounts:home")).status_code == 302  # still not verified


def test_a_second_authenticator_needs_the_first_and_is_recorded_and_e_mailed(
    client, member, django_capture_on_commit_callbacks
):
    from django.core import mail

    from accounts.models import AccountEvent

    caseworker = member(Role.CASEWORKER)
    first = TOTPDevice.objects.create(user=caseworker, name="Phone", confirmed=True)
    now = time.time()
    with time_machine.travel(now, tick=False):
        sign_in(client, caseworker)
        client.post(reverse("accounts:two-factor"), {"token": code(first, now)})
        assert client.get(reverse("accounts:two-factor-setup")).status_code == 200
        second = TOTPDevice.objects.get(user=caseworker, confirmed=False)
        with django_capture_on_commit_callbacks(execute=True):
            added = client.post(reverse("accounts:two-factor-setup"), {"token": code(second, now)})
    assert added.status_code == 302
    event = AccountEvent.objects.get(user=caseworker)
    assert event.get_kind_display() == "Authenticator app added"
    (message,) = mail.outbox
    assert message.to == [caseworker.email]
    assert message.subject == "Authenticator app added on your account"
    assert "If this was not you, tell your LA administrator" in message.body


@pytest.mark.parametrize("typed", ["123456", "123 456", " 123-456 "])
def test_a_code_is_taken_as_the_app_shows_it(typed):
    """Authenticator apps show "123 456": the code is read without its spaces or dash."""
    from accounts.forms import TokenForm

    form = TokenForm(data={"token": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["token"] == "123456"


def test_the_setup_page_gives_the_key_in_groups_and_the_qr_code_a_text_alternative(client, member):
    user = member(Role.CASEWORKER)
    client.force_login(user)
    html = client.get(reverse("accounts:two-factor-setup")).content.decode()
    assert 'role="img" aria-label="QR code' in html
    key = re.search(r'data-testid="secret"><code>([A-Z2-7 ]+)</code>', html).group(1)
    assert all(len(group) <= 4 for group in key.split(" ")) and len(key.split(" ")) > 1

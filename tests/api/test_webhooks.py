"""Webhooks: a school's system is told of changes to its school's records, signed, by the
outbox rules e-mails follow (tried again while refused, never twice by itself when the answer
was lost), and never told of another school's."""

import datetime
import json

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from config.errors import DomainError
from deadlines import services as deadline_services
from deadlines.models import NotificationStatus, WebhookDelivery
from referrals import services as referral_services
from tests.pupils.factories import SchoolFactory, pupil_at
from tests.referrals.conftest import orgs, types  # noqa: F401  (shared fixtures)
from tests.webhook_receiver import Receiver, verify


@pytest.fixture
def local_webhooks(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 1


@pytest.fixture
def receiver():
    started = Receiver().start()
    yield started
    started.stop()


def _refer(senco, school, types):  # noqa: F811
    return referral_services.send_referral(
        senco, pupil=pupil_at(school), referral_type=types["bass"], school=school,
        answers={"reason": "Leaves lessons", "consent_given_by": "Jo Stone (mother)",
                 "consent_given_on": timezone.localdate(), "consent_method": "phone"},
    )  # fmt: skip


def test_a_change_is_sent_signed_to_the_schools_endpoint_and_to_no_other_school(
    local_webhooks,
    receiver,
    member,
    school,
    authority,
    types,  # noqa: F811
):
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    _, secret = deadline_services.register_webhook(senco, school=school, url=receiver.url)
    other_school = SchoolFactory(organisation__local_authority=authority)
    other = Receiver().start()
    try:
        other_senco = member(Role.SCHOOL_STAFF, organisation=other_school.organisation)
        deadline_services.register_webhook(other_senco, school=other_school, url=other.url)
        referral = _refer(senco, school, types)
        assert deadline_services.deliver_webhooks() == 2
    finally:
        other.stop()
    assert other.received == []
    events = {json.loads(r.body)["type"]: r for r in receiver.received}
    assert set(events) == {"referral.status_changed", "referral.deadline_set"}
    changed = events["referral.status_changed"]
    assert verify(secret, changed)
    payload = json.loads(changed.body)
    assert payload["record"] == {
        "type": "referral", "id": referral.pk, "location": f"/api/v1/referrals/{referral.pk}",
        "status": "submitted",
    }  # fmt: skip
    assert payload["school_urn"] == school.urn
    assert changed.headers["Casework-Event-Id"] == payload["id"]
    assert json.loads(events["referral.deadline_set"].body)["record"]["deadline_kind"] == (
        "allocation"
    )
    tampered = type(changed)(changed.headers, changed.body.replace(b"submitted", b"declined"))
    assert not verify(secret, tampered)
    assert not verify("another secret", changed)


def test_a_refused_event_is_tried_again_later_and_given_up_after_the_limit(
    local_webhooks,
    receiver,
    member,
    school,
    types,  # noqa: F811
    settings,
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    receiver.answers = [503, 503, 503, 503]
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    deadline_services.register_webhook(senco, school=school, url=receiver.url)
    _refer(senco, school, types)
    WebhookDelivery.objects.exclude(event="referral.status_changed").delete()
    delivery = WebhookDelivery.objects.get()
    assert deadline_services.deliver_webhooks() == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (NotificationStatus.PENDING, 1)
    assert delivery.last_error == "NotDelivered: The endpoint answered 503"
    assert deadline_services.deliver_webhooks() == 0  # not due again for a minute
    assert len(receiver.received) == 1
    for minutes in (2, 5):
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes)):
            deadline_services.deliver_webhooks()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (NotificationStatus.FAILED, 3)
    assert len(receiver.received) == 3


def test_an_event_whose_answer_was_lost_is_never_sent_again_by_itself(
    local_webhooks,
    receiver,
    member,
    school,
    types,  # noqa: F811
):
    receiver.delay = 2  # longer than the 1 second the sender waits
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    deadline_services.register_webhook(senco, school=school, url=receiver.url)
    _refer(senco, school, types)
    WebhookDelivery.objects.exclude(event="referral.status_changed").delete()
    assert deadline_services.deliver_webhooks() == 0
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == NotificationStatus.UNKNOWN
    assert deadline_services.deliver_webhooks() == 0
    assert len(receiver.received) == 1


def test_an_endpoint_must_be_https_on_the_internet(member, school):
    """A webhook must not become a way into the authority's own network."""
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    for url, code in [
        ("http://mis.example.org/events", "invalid_url"),
        ("https://127.0.0.1/events", "private_address"),
        ("https://10.1.2.3/events", "private_address"),
        ("https://[::1]/events", "private_address"),
    ]:
        with pytest.raises(DomainError) as refused:
            deadline_services.register_webhook(senco, school=school, url=url)
        assert (refused.value.field, refused.value.code) == ("url", code), url


def test_only_the_schools_own_staff_register_its_webhooks(member, school, authority):
    elsewhere = member(
        Role.SCHOOL_STAFF,
        organisation=SchoolFactory(organisation__local_authority=authority).organisation,
    )
    with pytest.raises(DomainError, match="Only the school's own staff"):
        deadline_services.register_webhook(
            elsewhere, school=school, url="https://mis.example.org/events"
        )


def test_a_removed_endpoint_is_told_nothing_more(
    local_webhooks,
    receiver,
    member,
    school,
    types,  # noqa: F811
):
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    endpoint, _ = deadline_services.register_webhook(senco, school=school, url=receiver.url)
    _refer(senco, school, types)
    deadline_services.revoke_webhook(senco, endpoint)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"failed"}
    _refer(senco, school, types)
    assert deadline_services.deliver_webhooks() == 0
    assert receiver.received == []


def test_the_operations_page_counts_events_a_schools_system_did_not_get(
    local_webhooks,
    receiver,
    member,
    school,
    authority,
    types,  # noqa: F811
    client_for,
):
    """An LA administrator learns that a school's system is not hearing of changes (its own
    authority's schools only)."""
    from django.urls import reverse

    receiver.answers = [500]
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    deadline_services.register_webhook(senco, school=school, url=receiver.url)
    _refer(senco, school, types)
    WebhookDelivery.objects.exclude(event="referral.status_changed").delete()
    WebhookDelivery.objects.update(attempts=4)
    deadline_services.deliver_webhooks()
    assert WebhookDelivery.objects.get().status == NotificationStatus.FAILED
    admin = member(Role.LA_ADMINISTRATOR, organisation=authority)
    page = client_for(admin).get(reverse("deadlines:operations")).content.decode()
    assert "Webhook events not delivered to a school&#x27;s system" in page
    assert "1. Ask the school&#x27;s system supplier" in page
    from tests.accounts.factories import LocalAuthorityFactory

    elsewhere = member(Role.LA_ADMINISTRATOR, organisation=LocalAuthorityFactory())
    other_page = client_for(elsewhere).get(reverse("deadlines:operations")).content.decode()
    assert "Webhook events not delivered" not in other_page

"""The outbox sends each message at most once. ``sending`` is committed before the mail server
is called and ``sent`` after: whatever stops the sender in between (a dropped database
connection, a timeout, a time limit) leaves "may have been sent", shown to LA administrators
with a one-click resend, and never a silent second send."""

import datetime

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role
from deadlines import services
from deadlines.models import Notification, NotificationStatus
from tests.deadlines.backends import ConnectionCuttingBackend
from tests.deadlines.factories import (
    NotificationPendingFactory,
    NotificationSendingFactory,
    NotificationUnknownFactory,
)

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


class TimingOutBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise TimeoutError("timed out waiting for the mail server's reply")


class TimeLimitBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SoftTimeLimitExceeded()


def use(settings, backend):
    settings.MAILERS = {"default": {"BACKEND": f"{backend.__module__}.{backend.__name__}"}}


@pytest.mark.django_db
def test_a_timeout_after_the_call_is_may_have_been_sent_and_not_retried(settings):
    use(settings, TimingOutBackend)
    notification = NotificationPendingFactory()
    assert services.deliver_notifications() == 0
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.UNKNOWN
    assert notification.last_error == "TimeoutError: timed out waiting for the mail server's reply"
    use(settings, TimingOutBackend)
    assert services.deliver_notifications() == 0  # nothing left to try
    notification.refresh_from_db()
    assert notification.attempts == 1


@pytest.mark.django_db
def test_a_time_limit_is_raised_on_and_not_recorded_as_a_failure(settings):
    use(settings, TimeLimitBackend)
    notification = NotificationPendingFactory()
    with pytest.raises(SoftTimeLimitExceeded):
        services.deliver_notifications()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (
        NotificationStatus.SENDING, 1, "",
    )  # fmt: skip


@pytest.mark.django_db
def test_a_row_left_sending_becomes_may_have_been_sent_and_is_not_sent_again(settings):
    settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS = 360
    with time_machine.travel(NOW, tick=False) as clock:
        left = NotificationSendingFactory()
        fresh = NotificationSendingFactory(sending_since=NOW + datetime.timedelta(minutes=5))
        clock.shift(datetime.timedelta(minutes=6, seconds=1))
        assert services.deliver_notifications() == 0
    left.refresh_from_db()
    fresh.refresh_from_db()
    assert (left.status, fresh.status) == (NotificationStatus.UNKNOWN, NotificationStatus.SENDING)
    assert left.get_status_display() == "May have been sent"
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_after_the_mail_server_accepted_sends_nothing_twice(settings):
    """The mail server takes the message; PostgreSQL then ends the sender's connection before
    it can write "sent". The next run (a new connection) does not send it again."""
    use(settings, ConnectionCuttingBackend)
    ConnectionCuttingBackend.SENT = []
    notification = NotificationPendingFactory()
    with pytest.raises(Exception):  # noqa: B017  (the driver's error for a lost connection)
        services.deliver_notifications()
    connection.close()  # what Django does at the end of a request or task

    settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS = 0
    assert services.deliver_notifications() == 0
    assert len(ConnectionCuttingBackend.SENT) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.UNKNOWN, 1)


@pytest.mark.django_db
def test_may_have_been_sent_is_shown_to_the_la_administrator_with_a_resend(client_for, member):
    admin = member(Role.LA_ADMINISTRATOR)
    recipient = member(Role.CASEWORKER)
    notification = NotificationUnknownFactory(recipient=recipient)
    page = client_for(admin).get(reverse("deadlines:operations"))
    assert list(page.context["unknown"]) == [notification]
    html = page.content.decode()
    assert "Messages that may have been sent" in html
    hidden = f'Send again<span class="govuk-visually-hidden"> to {escape(recipient.full_name)}'
    assert hidden in html

    resent = client_for(admin).post(reverse("deadlines:retry", args=[notification.pk]), follow=True)
    assert f"The message to {escape(recipient.full_name)} will be sent again." in (
        resent.content.decode()
    )
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 0)
    assert services.deliver_notifications() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_sent_message_cannot_be_sent_again_by_hand(member):
    notification = NotificationPendingFactory()
    services.deliver_notifications()
    notification.refresh_from_db()
    from config.errors import DomainError

    with pytest.raises(DomainError, match="this one is sent"):
        services.retry_notification(member(Role.LA_ADMINISTRATOR), notification)


@pytest.mark.django_db
def test_a_batch_stops_at_its_time_budget_and_leaves_the_rest_waiting(settings):
    notifications = NotificationPendingFactory.create_batch(5)
    with time_machine.travel(NOW, tick=True):
        assert services.deliver_notifications(seconds=0) == 0
    assert set(
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).values_list(
            "status", flat=True
        )
    ) == {NotificationStatus.PENDING}
    assert services.deliver_notifications(limit=2) == 2
    assert services.deliver_notifications() == 3


@pytest.mark.django_db
def test_an_la_administrator_sees_only_their_own_authoritys_failed_e_mails(client_for, member):
    """The hole: the operations page showed every authority's failed e-mails to parents."""
    from tests.accounts.factories import LocalAuthorityFactory
    from tests.deadlines.factories import NotificationFailedFactory

    ours, theirs = LocalAuthorityFactory(), LocalAuthorityFactory()
    admin = member(Role.LA_ADMINISTRATOR, organisation=ours)
    mine = NotificationFailedFactory(recipient=None, to_email="jo@ours.example", authority=ours)
    NotificationFailedFactory(recipient=None, to_email="sam@theirs.example", authority=theirs)
    NotificationFailedFactory(recipient=member(Role.CASEWORKER, organisation=None))
    page = client_for(admin).get(reverse("deadlines:operations"))
    assert list(page.context["failed"]) == [mine]
    assert "sam@theirs.example" not in page.content.decode()

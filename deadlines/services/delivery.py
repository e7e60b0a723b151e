"""Sending the outboxes (e-mails, and webhooks to school systems), at most once each.

GOV.UK Notify's way: a message is marked ``sending`` in a transaction of its own before the mail
server is called, and ``sent`` in another once it has answered. A worker killed, a database
connection dropped or a time limit reached between the two leaves the row ``sending``; once it
has been so for longer than any send can take, it is marked ``unknown`` ("may have been sent")
and shown on the operations page with a one-click resend. Nothing is sent twice by itself.
"""

import datetime
import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from config.actions import locked, service_action
from config.errors import DomainError
from deadlines.models import Notification, NotificationStatus

logger = logging.getLogger(__name__)


class MessageNotSent(Exception):
    """An e-mail backend's way of saying the message was refused, not lost in flight: it is
    safe to try again later."""


# The mail server refused before taking the message: safe to try again later. Anything else
# (a timeout, a connection cut mid-conversation) may have happened after it took it.
NOT_SENT = (
    MessageNotSent,
    ConnectionRefusedError,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPDataError,
)


def backoff(attempts: int) -> datetime.timedelta:
    """Wait 1, 2, 4, 8… minutes between tries, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 60))


def pending_delivery(now: datetime.datetime, model=Notification):
    """Rows waiting to be sent, through the outbox's partial index (``notification_pending``,
    ``webhook_pending``)."""
    return model.objects.filter(
        status=NotificationStatus.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")


def queue_delivery(task=None) -> None:
    """Ask a worker to send now (the e-mails, or ``task``'s outbox). With the broker down the
    decision already saved stands: the delivery sweep, which beat runs every minute, finds the
    row in the outbox later."""
    from deadlines.tasks import deliver_notifications_task

    try:
        (task or deliver_notifications_task).apply_async(retry=False)
    except Exception:  # the broker is down or unreachable: the sweep sends it
        logger.warning("Delivery not queued (broker unreachable); the next sweep sends it")


def queue_delivery_on_commit() -> None:
    transaction.on_commit(queue_delivery, robust=True)


@dataclass(frozen=True)
class Outbox:
    """One outbox sent by these rules: its table, how one row is sent (raising one of
    ``refused`` when it was refused and may be tried later; anything else when it may have
    gone), and what a row is called in the log."""

    model: type
    send: Callable
    refused: tuple
    what: str
    related: tuple = ()


def deliver_notifications(*, limit: int | None = None, seconds: float | None = None) -> int:
    """Send pending e-mails one at a time until none is due, ``limit`` have been taken, or
    ``seconds`` have passed (by default half the task's soft time limit, so a batch always
    ends well inside it; what is left waits for the next run). Returns how many were sent."""
    return deliver(EMAILS, limit=limit, seconds=seconds)


def deliver(outbox: Outbox, *, limit: int | None = None, seconds: float | None = None) -> int:
    """Send ``outbox``'s pending rows by the rules of this module; returns how many went."""
    _mark_unknown(outbox.model, timezone.now())
    limit = limit or settings.NOTIFICATION_BATCH_SIZE
    seconds = settings.NOTIFICATION_BATCH_SECONDS if seconds is None else seconds
    stop_at = time.monotonic() + seconds
    sent = 0
    for _ in range(limit):
        if time.monotonic() >= stop_at:
            break
        row = _claim_next(outbox)
        if row is None:
            break
        sent += _send(outbox, row)
    return sent


@transaction.atomic
def _claim_next(outbox: Outbox):
    """Take the next pending row (other workers skip it) and commit it as ``sending``."""
    now = timezone.now()
    row = (
        pending_delivery(now, outbox.model)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related(*outbox.related)
        .first()
    )
    if row is None:
        return None
    row.status = NotificationStatus.SENDING
    row.sending_since = now
    row.attempts += 1
    row.save(update_fields=["status", "sending_since", "attempts"])
    return row


def _send(outbox: Outbox, row) -> int:
    """Call the far end outside any transaction, then record what it said. A time limit
    reached here is not a failure of the message: it is raised on, and the row is left
    ``sending`` (so, in time, "may have been sent")."""
    try:
        outbox.send(row)
    except SoftTimeLimitExceeded:
        raise
    except outbox.refused as error:
        _record_failure(outbox, row, error)
        return 0
    except Exception as error:  # timed out or cut off mid-conversation: it may have gone
        _record_unknown(outbox, row, error)
        return 0
    _still_sending(outbox, row).update(
        status=NotificationStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return 1


def _email(notification: Notification) -> None:
    EmailMessage(
        subject=notification.subject,
        body=notification.body,
        to=[notification.address],
        headers={"X-Casework-Reference": f"notification-{notification.pk}"},
    ).send(using="default")


EMAILS = Outbox(Notification, _email, NOT_SENT, "Notification", related=("recipient",))


def _still_sending(outbox: Outbox, row):
    return outbox.model.objects.filter(pk=row.pk, status=NotificationStatus.SENDING)


def _record_failure(outbox: Outbox, row, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        logger.error("%s %s failed after %s tries", outbox.what, row.pk, row.attempts)
        fields = {"status": NotificationStatus.FAILED}
    else:
        fields = {
            "status": NotificationStatus.PENDING,
            "next_attempt_at": timezone.now() + backoff(row.attempts),
        }
    _still_sending(outbox, row).update(last_error=message, **fields)


def _record_unknown(outbox: Outbox, row, error: Exception) -> None:
    logger.error("%s %s may have been sent: %s", outbox.what, row.pk, error)
    _still_sending(outbox, row).update(
        status=NotificationStatus.UNKNOWN, last_error=f"{type(error).__name__}: {error}"[:2000]
    )


def mark_unknown_after_timeout(now: datetime.datetime | None = None) -> int:
    """Rows left ``sending`` for longer than any send can take (a worker killed, a connection
    dropped, a time limit reached mid-send) may have been sent: say so, and send nothing."""
    return _mark_unknown(Notification, now or timezone.now())


def _mark_unknown(model, now: datetime.datetime) -> int:
    cutoff = now - datetime.timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS)
    count = model.objects.filter(
        status=NotificationStatus.SENDING, sending_since__lt=cutoff
    ).update(
        status=NotificationStatus.UNKNOWN,
        last_error="The sender stopped before the far end's answer was recorded.",
    )
    if count:
        logger.error("%s %s rows may have been sent: see the operations page", count, model)
    return count


@service_action
def retry_notification(actor, notification: Notification) -> Notification:
    """An LA administrator sends again a message that failed, or that may have been sent
    (after checking with its recipient, if need be)."""
    locked(notification)
    resendable = {NotificationStatus.FAILED, NotificationStatus.UNKNOWN}
    if notification.status not in resendable:
        raise DomainError(
            "Only a message that failed, or may have been sent, can be sent again: this one "
            f"is {notification.get_status_display().lower()}."
        )
    notification.status = NotificationStatus.PENDING
    notification.attempts = 0
    notification.next_attempt_at = timezone.now()
    notification.sending_since = None
    notification.save(update_fields=["status", "attempts", "next_attempt_at", "sending_since"])
    queue_delivery_on_commit()
    return notification

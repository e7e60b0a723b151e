"""Webhooks: a school's system hears of a change to one of its records as it happens.

Each event is thin: what happened, to which record (its id and its address in the API), and
the new status or date; the record itself is read through the API, where the token's access
and the access log apply, so no pupil's details travel in a webhook. Every event is signed
(``Casework-Signature: t=<unix time>,v1=<HMAC-SHA256 of "<t>.<body>" with the endpoint's
secret>``) and carries its own id, which a receiver uses to ignore a repeat. Events wait in an
outbox written in the transaction of the change, and are sent by the e-mails' rules
(``deadlines.services.delivery``).
"""

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from config.actions import locked, service_action
from config.errors import DomainError
from deadlines.models import NotificationStatus, WebhookDelivery, WebhookEndpoint
from deadlines.services.delivery import Outbox, deliver, queue_delivery

SIGNATURE_HEADER = "Casework-Signature"
# The records a school's system can hear about, by model, with their name in the API.
API_RECORDS = {
    "referrals.referral": "referral",
    "exclusions.exclusion": "exclusion",
    "plans.parttimetimetable": "timetable",
    "plans.pastoralsupportplan": "psp",
}


def record_kind(model) -> str | None:
    """The API's name for a record of ``model`` ("referral"), or None if it is not one."""
    return API_RECORDS.get(model._meta.label_lower)


class NotDelivered(Exception):
    """The endpoint refused the event, or could not be reached: safe to try again later."""


@service_action
def register_webhook(actor, *, school, url: str) -> tuple[WebhookEndpoint, str]:
    """A school's system asks to be told of changes to its school's records at ``url``.
    Returns the endpoint and its signing secret, shown this once."""
    _require_school_staff(actor, school)
    url = url.strip()
    _require_reachable_safely(url)
    secret = secrets.token_hex(32)
    endpoint = WebhookEndpoint.objects.create(
        school=school, url=url, secret=secret, created_by=actor
    )
    return endpoint, secret


@service_action
def revoke_webhook(actor, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Stop sending to an endpoint; what was waiting for it is not sent."""
    locked(endpoint)
    _require_school_staff(actor, endpoint.school)
    if endpoint.revoked_at is None:
        endpoint.revoked_at = timezone.now()
        endpoint.save(update_fields=["revoked_at"])
        endpoint.deliveries.filter(status=NotificationStatus.PENDING).update(
            status="failed", last_error="The endpoint was removed."
        )
    return endpoint


def _require_school_staff(actor, school) -> None:
    from accounts.policy import school_staff_organisations

    if school.organisation not in school_staff_organisations(actor):
        raise DomainError("Only the school's own staff or system manage its webhooks.")


def _require_reachable_safely(url: str) -> None:
    """An https address on the internet: never plain http, and never an address inside the
    authority's network (a webhook must not become a way to reach internal services), unless
    the settings allow it for a test or a private deployment."""
    parts = urlsplit(url)
    allowed = {"https", "http"} if settings.WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed or not parts.hostname:
        raise DomainError(
            "Give the address as https://, like https://mis.example.org/casework-events",
            field="url", code="invalid_url",
        )  # fmt: skip
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES and _private(parts.hostname):
        raise DomainError(
            "That address is inside a private network: give one the internet can reach.",
            field="url", code="private_address",
        )  # fmt: skip


def _private(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False  # not resolvable now: refused when it is sent instead
    return any(not ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses)


def announce(happened: str, record, *, school, **facts) -> int:
    """Write the event ``<record's kind>.<happened>`` ("referral.status_changed") to the
    outbox of every live endpoint of ``school``, in the caller's transaction, and ask a worker
    to send it once committed. ``facts`` are the few fields a receiver needs to decide whether
    to read the record (its new status, a due date). Returns how many deliveries were
    written; none for a record the API does not show."""
    kind = record_kind(type(record))
    if school is None or kind is None:
        return 0
    event = f"{kind}.{happened}"
    endpoints = list(WebhookEndpoint.objects.filter(school=school, revoked_at__isnull=True))
    if not endpoints:
        return 0
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "type": event,
        "occurred_at": timezone.now().isoformat(),
        "school_urn": school.urn,
        "record": {
            "type": kind,
            "id": record.pk,
            "location": reverse(f"api:{kind}-detail", args=[record.pk]),
            **facts,
        },
    }
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event_id=event_id, event=event, payload=payload,
                        next_attempt_at=now)
        for endpoint in endpoints
    )  # fmt: skip
    transaction.on_commit(queue_webhooks, robust=True)
    return len(endpoints)


def queue_webhooks() -> None:
    from deadlines.tasks import deliver_webhooks_task

    queue_delivery(deliver_webhooks_task)


def signature(secret: str, body: bytes, at: int) -> str:
    """The ``Casework-Signature`` header's value for ``body`` sent at unix time ``at``."""
    mac = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def _post(delivery: WebhookDelivery) -> None:
    """POST one event. A refusal (any answer but 2xx) or a connection never made raises
    :class:`NotDelivered`, to be tried again; a timeout once sent raises as it is (it may have
    arrived: never sent again by itself)."""
    endpoint = delivery.endpoint
    if endpoint.revoked_at is not None:
        raise NotDelivered("The endpoint was removed.")
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    request = urllib.request.Request(
        endpoint.url, data=body, method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "casework-webhooks/1",
            SIGNATURE_HEADER: signature(endpoint.secret, body, int(time.time())),
            "Casework-Event-Id": str(delivery.event_id),
            "Casework-Event": delivery.event,
        },
    )  # fmt: skip
    try:
        _require_reachable_safely(endpoint.url)
        with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS):
            return
    except DomainError as error:
        raise NotDelivered(error.message) from error
    except urllib.error.HTTPError as error:
        raise NotDelivered(f"The endpoint answered {error.code}") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, ConnectionRefusedError | socket.gaierror):
            raise NotDelivered(f"The endpoint could not be reached: {error.reason}") from error
        raise


WEBHOOKS = Outbox(
    WebhookDelivery, _post, (NotDelivered,), "Webhook delivery", related=("endpoint",)
)


def deliver_webhooks(*, limit: int | None = None, seconds: float | None = None) -> int:
    """Send the webhooks that are due, as :func:`deliver_notifications` sends e-mails."""
    return deliver(WEBHOOKS, limit=limit, seconds=seconds)

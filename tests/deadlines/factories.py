import datetime
import uuid

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from factory.django import DjangoModelFactory

from deadlines.codes import Counting, KindCode
from deadlines.models import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    Notification,
    NotificationStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.accounts.factories import UserFactory
from tests.pupils.factories import PupilFactory, SchoolFactory


class NotificationPendingFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Due today: action {n}")
    body = "Please look at this."
    url = "/deadlines/"
    status = NotificationStatus.PENDING
    next_attempt_at = factory.LazyFunction(timezone.now)


class NotificationSentFactory(NotificationPendingFactory):
    status = NotificationStatus.SENT
    attempts = 1
    sent_at = factory.LazyFunction(timezone.now)


class NotificationFailedFactory(NotificationPendingFactory):
    status = NotificationStatus.FAILED
    attempts = 5
    last_error = "SMTPServerDisconnected: Connection unexpectedly closed"


class NotificationSendingFactory(NotificationPendingFactory):
    """Claimed by a sender that has called the mail server and not yet recorded its answer."""

    status = NotificationStatus.SENDING
    attempts = 1
    sending_since = factory.LazyFunction(timezone.now)


class NotificationUnknownFactory(NotificationPendingFactory):
    status = NotificationStatus.UNKNOWN
    attempts = 1
    last_error = "The sender stopped before the mail server's answer was recorded."


class DeadlineOpenFactory(DjangoModelFactory):
    """An agreed action (form B/ex4) owned by one person, due in 5 school days; about the pupil
    themselves, so that it needs no other record. The kinds are installed by the
    ``deadline_kinds`` fixture."""

    class Meta:
        model = Deadline
        exclude = ["about"]

    about = factory.SubFactory(PupilFactory)
    kind = factory.LazyFunction(lambda: DeadlineKind.objects.get(code=KindCode.ACTION))
    subject_type = factory.LazyAttribute(lambda d: ContentType.objects.get_for_model(d.about))
    subject_id = factory.SelfAttribute("about.pk")
    pupil = factory.SelfAttribute("about")
    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Observe in class {n}")
    start_date = datetime.date(2026, 3, 2)
    length = 5
    counting = Counting.SCHOOL_DAYS
    due_date = datetime.date(2026, 3, 9)
    counting_note = "5 school days from 2 March 2026"
    owner_user = factory.SubFactory(UserFactory)
    status = DeadlineStatus.OPEN


class DeadlineMetFactory(DeadlineOpenFactory):
    status = DeadlineStatus.MET
    met_on = datetime.date(2026, 3, 6)
    closed_at = factory.LazyFunction(timezone.now)


class DeadlineMissedFactory(DeadlineOpenFactory):
    status = DeadlineStatus.MISSED


class DeadlineWaivedFactory(DeadlineOpenFactory):
    status = DeadlineStatus.WAIVED
    reason = "Agreed with the manager by phone"
    closed_at = factory.LazyFunction(timezone.now)


class DeadlineCancelledFactory(DeadlineOpenFactory):
    status = DeadlineStatus.CANCELLED
    reason = "Case closed"
    closed_at = factory.LazyFunction(timezone.now)


class WebhookEndpointFactory(DjangoModelFactory):
    class Meta:
        model = WebhookEndpoint

    school = factory.SubFactory(SchoolFactory)
    url = "https://mis.example/hooks/casework"
    secret = factory.Sequence(lambda n: f"{n:064x}")
    created_by = factory.SubFactory(UserFactory)


class WebhookDeliveryPendingFactory(DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    event_id = factory.LazyFunction(uuid.uuid4)
    event = "referral.status_changed"
    payload = factory.Dict({"status": "submitted"})
    status = NotificationStatus.PENDING
    next_attempt_at = factory.LazyFunction(timezone.now)


class WebhookDeliverySendingFactory(WebhookDeliveryPendingFactory):
    status = NotificationStatus.SENDING
    attempts = 1
    sending_since = factory.LazyFunction(timezone.now)


class WebhookDeliverySentFactory(WebhookDeliveryPendingFactory):
    status = NotificationStatus.SENT
    attempts = 1
    sent_at = factory.LazyFunction(timezone.now)


class WebhookDeliveryFailedFactory(WebhookDeliveryPendingFactory):
    status = NotificationStatus.FAILED
    attempts = 5
    last_error = "HTTP 410: Gone"


class WebhookDeliveryUnknownFactory(WebhookDeliveryPendingFactory):
    status = NotificationStatus.UNKNOWN
    attempts = 1
    last_error = "ReadTimeout: the school's system did not answer"

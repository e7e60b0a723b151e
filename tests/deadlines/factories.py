import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from deadlines.models import Notification, NotificationStatus
from tests.accounts.factories import UserFactory


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

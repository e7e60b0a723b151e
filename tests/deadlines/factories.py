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

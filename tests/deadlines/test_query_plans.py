"""The reminder sweep and the delivery task read what is due through partial indexes, so their
cost follows what is due, not the size of the tables. Checked on the query plan, not on time."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from deadlines import services
from deadlines.codes import KindCode
from deadlines.models import Deadline, DeadlineKind, Notification
from tests.accounts.factories import UserFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE deadlines_deadline")
        cursor.execute("ANALYZE deadlines_notification")
    return queryset.explain()


def test_the_due_query_uses_its_partial_index():
    owner = UserFactory()
    kind = DeadlineKind.objects.get(code=KindCode.ACTION)
    subject_type = ContentType.objects.get_for_model(owner)
    today = D(2026, 11, 23)
    rows = []
    for n in range(4000):
        due_soon = n % 400 == 0
        rows.append(
            Deadline(
                kind=kind,
                subject_type=subject_type,
                subject_id=owner.pk,
                title=f"Action {n}",
                start_date=today,
                length=5,
                counting="school_days",
                due_date=today + datetime.timedelta(days=30),
                counting_note="",
                owner_user=owner,
                status="open" if n % 3 else "met",
                next_reminder_on=today
                if due_soon
                else today + datetime.timedelta(days=20 + n % 90),
            )
        )
    Deadline.objects.bulk_create(rows)
    explained = plan(services.due_for_reminder(today)[:500])
    assert "deadline_reminder_due" in explained, explained
    assert "Seq Scan" not in explained, explained


def test_the_delivery_query_uses_its_partial_index():
    recipient = UserFactory()
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            subject=f"Reminder {n}",
            body="",
            status="sent" if n % 50 else "pending",
            next_attempt_at=now - datetime.timedelta(minutes=n % 7),
        )
        for n in range(4000)
    )
    explained = plan(services.pending_delivery(now)[:1])
    assert "notification_pending" in explained, explained
    assert "Seq Scan" not in explained, explained

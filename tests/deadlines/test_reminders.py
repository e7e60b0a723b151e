import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from deadlines import services
from deadlines.models import Deadline, Notification, NotificationStatus
from tests.deadlines.factories import NotificationPendingFactory
from tests.pupils.factories import pupil_at

D = datetime.date
FAILING = {"default": {"BACKEND": "tests.deadlines.backends.FailingBackend"}}


@pytest.fixture
def deadline(school, member):
    """A governing-board deadline counted from 16 March 2026: due Monday 20 April, with
    reminders on 13 April (-5), 17 April (-1), 20 April (0) and 21 April (overdue)."""
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    pupil = pupil_at(school)
    with time_machine.travel(datetime.datetime(2026, 3, 16, 9, 0), tick=False):
        return services.create_deadline(
            owner,
            kind="governing-board-review",
            subject=pupil,
            pupil=pupil,
            school=school,
            start_date=D(2026, 3, 16),
            title="Governing board meets",
            owner_user=owner,
        )


def labels(deadline):
    return sorted(
        Notification.objects.filter(deadline=deadline).values_list("step__label", flat=True)
    )


@pytest.mark.django_db
def test_the_sweep_run_twice_makes_each_notification_once(deadline):
    assert services.sweep_reminders(today=D(2026, 4, 13)) == 1
    assert services.sweep_reminders(today=D(2026, 4, 13)) == 0
    assert labels(deadline) == ["Due in 5 school days"]
    deadline.refresh_from_db()
    assert deadline.next_reminder_on == D(2026, 4, 17)


@pytest.mark.django_db
def test_a_sweep_that_was_down_catches_up_without_doubling(deadline):
    services.sweep_reminders(today=D(2026, 4, 13))
    assert services.sweep_reminders(today=D(2026, 4, 20)) == 2  # Friday's and today's
    assert labels(deadline) == ["Due in 5 school days", "Due today", "Due tomorrow"]


@pytest.mark.django_db
def test_a_reminder_goes_to_every_holder_of_the_owning_role(school, member, organisation_for_role):
    service = organisation_for_role(Role.SERVICE_MANAGER)
    managers = {member(Role.SERVICE_MANAGER, organisation=service) for _ in range(2)}
    member(Role.CASEWORKER, organisation=service)  # not a manager: no reminder
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0), tick=False):
        allocation = services.create_deadline(
            None,
            kind="allocation",
            subject=school,
            school=school,
            start_date=D(2026, 3, 2),
            title="Allocate a referral",
            owner_organisation=service,
            owner_role=Role.SERVICE_MANAGER,
        )
    services.sweep_reminders(today=allocation.due_date)
    recipients = set(
        Notification.objects.filter(step__label="Due today").values_list("recipient", flat=True)
    )
    assert recipients == {m.pk for m in managers}


def actions(school, owner, n, *, start=None):
    start = start or D(2026, 3, 16)
    with time_machine.travel(datetime.datetime(2026, 3, 16, 9, 0), tick=False):
        return [
            services.create_deadline(
                owner, kind="action", subject=pupil_at(school), school=school, start_date=start,
                title=f"Action {i}", owner_user=owner,
            )
            for i in range(n)
        ]  # fmt: skip


@pytest.mark.django_db
def test_a_sweep_costs_the_same_statements_for_three_deadlines_as_for_twelve(
    school, member, django_assert_max_num_queries
):
    """The batch is read, written and moved on in a fixed number of statements: the sweep's
    cost follows the reminders due, not one transaction and a dozen statements per deadline."""
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    few = actions(school, owner, 3)
    today = few[0].next_reminder_on
    with CaptureQueriesContext(connection) as three:
        assert services.sweep_reminders(today=today) == 3
    actions(school, owner, 12)
    with django_assert_max_num_queries(len(three)):
        assert services.sweep_reminders(today=today) == 12


@pytest.mark.django_db
def test_a_sweep_leaves_alone_what_is_not_due_and_what_is_beyond_its_batch(school, member):
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    due = actions(school, owner, 3)
    later = actions(school, owner, 1, start=D(2026, 4, 13))[0]
    today = due[0].next_reminder_on
    assert later.next_reminder_on > today
    assert services.sweep_reminders(today=today, batch=2) == 2
    moved = Deadline.objects.filter(pk__in=[d.pk for d in due], next_reminder_on__gt=today)
    assert moved.count() == 2  # the batch moved on; the third waits for the next run
    later.refresh_from_db()
    assert later.next_reminder_on > today and not later.notifications.exists()
    assert services.sweep_reminders(today=today, batch=2) == 1
    assert Notification.objects.filter(deadline__in=due).count() == 3


@pytest.mark.django_db
def test_the_sweep_marks_overdue_deadlines_missed(deadline):
    services.sweep_reminders(today=D(2026, 4, 21))
    deadline.refresh_from_db()
    assert deadline.status == "missed"
    assert "Overdue" in labels(deadline)


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_make_each_notification_once(deadline_kinds, school, member):
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    with time_machine.travel(datetime.datetime(2026, 3, 16, 9, 0), tick=False):
        for n in range(20):
            services.create_deadline(
                owner,
                kind="action",
                subject=pupil_at(school),
                school=school,
                start_date=D(2026, 3, 16),
                title=f"Action {n}",
                owner_user=owner,
            )
    today = Deadline.objects.first().due_date
    barrier = threading.Barrier(2)
    errors = []

    def sweep():
        try:
            barrier.wait()
            services.sweep_reminders(today=today)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Each action has "Due tomorrow" and "Due today" by its due date: 2 each, never more.
    assert Notification.objects.count() == 40
    assert Notification.objects.values("deadline", "step").distinct().count() == 40


@pytest.mark.django_db
def test_delivery_sends_each_pending_notification_once(member):
    notifications = NotificationPendingFactory.create_batch(3)
    assert services.deliver_notifications() == 3
    assert services.deliver_notifications() == 0
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {n.recipient.email for n in notifications}
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


@pytest.mark.django_db
def test_a_failing_delivery_is_retried_with_backoff_then_shown_as_failed(
    settings, client_for, member
):
    settings.MAILERS = FAILING
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    admin = member(Role.LA_ADMINISTRATOR)
    recipient = member(Role.CASEWORKER)
    notification = NotificationPendingFactory(recipient=recipient)
    start = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        Notification.objects.filter(pk=notification.pk).update(next_attempt_at=start)
        services.deliver_notifications()
        notification.refresh_from_db()
        assert (notification.status, notification.attempts) == ("pending", 1)
        assert notification.next_attempt_at == start + datetime.timedelta(minutes=1)
        services.deliver_notifications()  # not due again yet
        notification.refresh_from_db()
        assert notification.attempts == 1
        clock.shift(datetime.timedelta(minutes=1))
        services.deliver_notifications()
        notification.refresh_from_db()
        assert notification.next_attempt_at == start + datetime.timedelta(minutes=3)
        clock.shift(datetime.timedelta(minutes=2))
        services.deliver_notifications()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 3)
    assert "ConnectionRefusedError: mail server refused the connection" in notification.last_error
    page = client_for(admin).get(reverse("deadlines:operations"))
    assert list(page.context["failed"]) == [notification]
    assert recipient.email in page.content.decode()
    client_for(admin).post(reverse("deadlines:retry", args=[notification.pk]))
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("pending", 0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.SERVICE_MANAGER, Role.SCHOOL_STAFF])
def test_only_la_administrators_see_operations(client_for, member, role):
    assert client_for(member(role)).get(reverse("deadlines:operations")).status_code == 404

"""At-most-once delivery with a real Celery worker over real Redis. A worker killed with SIGKILL
half way through a batch, or right after the mail server accepted a message, sends nothing
twice: the message in flight is shown as "may have been sent". A batch stops well inside the
task's soft time limit, and a time limit that does interrupt a send is not taken for a failed
delivery."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from deadlines.models import Notification, NotificationStatus
from deadlines.tasks import deliver_notifications_task
from tests.deadlines.factories import NotificationPendingFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


QUEUE = f"casework-test-delivery-{os.getpid()}"


@pytest.fixture(autouse=True)
def queue_of_its_own():
    """Each test's workers read a queue of their own, emptied first: no task queued by another
    test (or restored from another test's worker) runs as an extra delivery here."""
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(QUEUE)


def deliver(**limits) -> None:
    """Queue a delivery run, as beat does every minute."""
    deliver_notifications_task.apply_async(queue=QUEUE, **limits)


def database_url_for_workers() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    if db["HOST"]:
        return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"postgres://{user}{password}@/{db['NAME']}?host={quote(db['OPTIONS']['host'])}"


def start_worker(mail_file: Path, **env) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_for_workers(),
        "CASEWORK_TEST_MAILER": "tests.deadlines.backends.SlowFileBackend",
        "CASEWORK_TEST_MAIL_FILE": str(mail_file),
        "CASEWORK_TEST_MAIL_DELAY": "0.15",
        **{key: str(value) for key, value in env.items()},
    }
    log = mail_file.with_suffix(".log")
    ready_before = log.read_text().count(" ready.") if log.exists() else 0
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=prefork", "--concurrency=1", f"--queues={QUEUE}", "--without-mingle",
            "--without-gossip", "--loglevel=INFO",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=open(mail_file.with_suffix(".log"), "a"),  # noqa: SIM115  (the worker's own)
        start_new_session=True,
    )  # fmt: skip
    wait_for(lambda: log.read_text().count(" ready.") > ready_before, 60, "the worker to start")
    return worker


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool process at once, as the kernel's OOM killer would."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill(worker)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def references(path: Path) -> list[str]:
    return [line["reference"] for line in lines(path)]


def statuses(notifications) -> dict:
    outbox = Notification.objects.filter(pk__in=[n.pk for n in notifications])
    return dict(outbox.values_list("pk", "status"))


def left_in_flight(notifications) -> bool:
    waiting = {NotificationStatus.PENDING, NotificationStatus.SENDING}
    return not waiting & set(statuses(notifications).values())


def test_worker_killed_mid_batch_sends_nothing_twice(tmp_path):
    notifications = NotificationPendingFactory.create_batch(30)
    mail_file = tmp_path / "mail.jsonl"

    first = start_worker(mail_file)
    try:
        deliver()
        wait_for(lambda: len(lines(mail_file)) >= 5, 60, "the first worker to start sending")
        kill(first)
    finally:
        stop(first)
    assert 0 < Notification.objects.filter(status=NotificationStatus.SENT).count() < 30

    # The next worker finds the row left "sending" once the wait has passed.
    time.sleep(1.5)
    second = start_worker(mail_file, NOTIFICATION_SENDING_TIMEOUT_SECONDS=1)
    try:
        deliver()
        wait_for(lambda: left_in_flight(notifications), 90, "the second worker to finish")
    finally:
        stop(second)

    sent = references(mail_file)
    assert len(sent) == len(set(sent)), "a message was sent twice"
    outcome = statuses(notifications)
    assert set(outcome.values()) <= {NotificationStatus.SENT, NotificationStatus.UNKNOWN}
    unknown = [pk for pk, status in outcome.items() if status == NotificationStatus.UNKNOWN]
    assert len(unknown) <= 1  # only the one in flight at the kill
    for pk, status in outcome.items():
        if status == NotificationStatus.SENT:
            assert f"notification-{pk}" in sent
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_a_kill_right_after_the_mail_server_accepted_is_not_sent_again(tmp_path):
    """The message reached the mail server, then the worker died before recording it: it is
    shown as "may have been sent", and no worker sends it again by itself."""
    first_message, *others = NotificationPendingFactory.create_batch(4)
    mail_file = tmp_path / "mail.jsonl"

    hanging = start_worker(mail_file, CASEWORK_TEST_MAIL_HANG_AFTER_FIRST=1)
    try:
        deliver()
        wait_for(lambda: len(lines(mail_file)) == 1, 60, "the mail server to accept one")
        kill(hanging)
    finally:
        stop(hanging)
    accepted = references(mail_file)[0]
    in_flight = Notification.objects.get(status=NotificationStatus.SENDING)
    assert accepted == f"notification-{in_flight.pk}"

    time.sleep(1.5)
    second = start_worker(mail_file, NOTIFICATION_SENDING_TIMEOUT_SECONDS=1)
    try:
        deliver()
        wait_for(lambda: left_in_flight([first_message, *others]), 60, "the rest to be sent")
    finally:
        stop(second)

    assert references(mail_file).count(accepted) == 1
    in_flight.refresh_from_db()
    assert in_flight.status == NotificationStatus.UNKNOWN
    assert in_flight.get_status_display() == "May have been sent"
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 3


def test_a_batch_ends_well_inside_the_soft_time_limit(tmp_path):
    """With a 2-second soft limit a run sends for at most a second, then leaves the rest
    waiting (not failed, not "sending") for the next run."""
    notifications = NotificationPendingFactory.create_batch(20)
    mail_file = tmp_path / "mail.jsonl"
    worker = start_worker(
        mail_file, CELERY_TASK_SOFT_TIME_LIMIT=2, CELERY_TASK_TIME_LIMIT=10,
        CASEWORK_TEST_MAIL_DELAY=0.3,
    )  # fmt: skip
    try:
        deliver()
        wait_for(lambda: len(lines(mail_file)) >= 1, 60, "the run to start")
        time.sleep(3)  # the run has ended: its budget is one second
        outcome = list(statuses(notifications).values())
        assert 1 <= outcome.count(NotificationStatus.SENT) <= 5
        assert NotificationStatus.SENDING not in outcome
        assert set(outcome) == {NotificationStatus.SENT, NotificationStatus.PENDING}
        for _ in range(20):  # beat queues a run every minute; here, one after another
            if left_in_flight(notifications):
                break
            deliver()
            time.sleep(1.5)
        wait_for(lambda: left_in_flight(notifications), 60, "every run to finish")
    finally:
        stop(worker)
    assert set(statuses(notifications).values()) == {NotificationStatus.SENT}
    assert sorted(references(mail_file)) == sorted(f"notification-{n.pk}" for n in notifications)
    assert not Notification.objects.exclude(last_error="").exists()


def test_a_time_limit_reached_mid_send_is_not_a_failed_delivery(tmp_path):
    """The soft time limit interrupts a send that takes too long: the message is left as
    "being sent" (then "may have been sent"), never counted as a failure and tried again."""
    notification = NotificationPendingFactory()
    mail_file = tmp_path / "mail.jsonl"
    worker = start_worker(
        mail_file, CELERY_TASK_SOFT_TIME_LIMIT=1, CELERY_TASK_TIME_LIMIT=10,
        CASEWORK_TEST_MAIL_DELAY=3,
    )  # fmt: skip
    try:
        # The limits travel with the task from whoever queues it (beat, with these settings).
        deliver(soft_time_limit=1, time_limit=10)
        wait_for(
            lambda: Notification.objects.filter(status=NotificationStatus.SENDING).exists(),
            60,
            "the send to start",
        )
        time.sleep(4)  # past the soft limit and the slow send
    finally:
        stop(worker)
    notification.refresh_from_db()
    log = mail_file.with_suffix(".log").read_text()
    assert notification.status == NotificationStatus.SENDING, log
    assert (notification.attempts, notification.last_error) == (1, "")
    assert notification.next_attempt_at <= notification.sending_since  # no retry scheduled

"""At-least-once delivery with a real Celery worker over real Redis: a worker killed with
SIGKILL half way through a batch loses nothing, and the outbox shows every notification sent
exactly once."""

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


def database_url_for_workers() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    if db["HOST"]:
        return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return f"postgres://{user}{password}@/{db['NAME']}?host={quote(db['OPTIONS']['host'])}"


def start_worker(mail_file: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_for_workers(),
        "CASEWORK_TEST_MAILER": "tests.deadlines.backends.SlowFileBackend",
        "CASEWORK_TEST_MAIL_FILE": str(mail_file),
        "CASEWORK_TEST_MAIL_DELAY": "0.15",
    }
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool=solo", "--queues=casework-test", "--without-mingle",
            "--without-gossip", "--loglevel=WARNING",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


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


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_batch_loses_and_doubles_nothing(tmp_path):
    notifications = NotificationPendingFactory.create_batch(30)
    mail_file = tmp_path / "mail.jsonl"

    first = start_worker(mail_file)
    try:
        deliver_notifications_task.delay()
        wait_for(lambda: len(lines(mail_file)) >= 5, 60, "the first worker to start sending")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    sent_before_kill = Notification.objects.filter(status=NotificationStatus.SENT).count()
    assert 0 < sent_before_kill < 30, "the kill must land in the middle of the batch"

    second = start_worker(mail_file)
    try:
        deliver_notifications_task.delay()  # as beat does every minute
        wait_for(
            lambda: not Notification.objects.filter(status=NotificationStatus.PENDING).exists(),
            90,
            "the second worker to finish the batch",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=20)
        except subprocess.TimeoutExpired:
            second.kill()

    outbox = Notification.objects.filter(pk__in=[n.pk for n in notifications])
    assert set(outbox.values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert set(outbox.values_list("attempts", flat=True)) == {1}
    references = [line["reference"] for line in lines(mail_file)]
    expected = {f"notification-{n.pk}" for n in notifications}
    assert set(references) == expected  # nothing lost
    # At least once: only the message in flight at the kill can have gone out twice.
    assert len(references) - len(expected) <= 1

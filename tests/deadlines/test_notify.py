"""GOV.UK Notify, through its own Python client, against a local fake Notify server."""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from deadlines import services
from deadlines.models import NotificationStatus
from tests.deadlines.factories import NotificationPendingFactory

SERVICE_ID = str(uuid.uuid4())
API_KEY = f"casework_test-{SERVICE_ID}-{uuid.uuid4()}"
TEMPLATE_ID = str(uuid.uuid4())


class FakeNotify(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeNotify.received.append(
            {"path": self.path, "auth": self.headers["Authorization"], "body": body}
        )
        payload = json.dumps({"id": str(uuid.uuid4()), "reference": body.get("reference")})
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_notify():
    FakeNotify.received = []
    server = HTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.django_db
def test_reminders_go_through_notify_when_it_is_configured(settings, fake_notify):
    settings.MAILERS = {
        "default": {
            "BACKEND": "deadlines.notify.NotifyEmailBackend",
            "OPTIONS": {"api_key": API_KEY, "template_id": TEMPLATE_ID, "base_url": fake_notify},
        }
    }
    notification = NotificationPendingFactory(subject="Due today: Governing board meets")
    assert services.deliver_notifications() == 1
    [request] = FakeNotify.received
    assert request["path"] == "/v2/notifications/email"
    assert request["auth"].startswith("Bearer ")
    assert request["body"]["email_address"] == notification.recipient.email
    assert request["body"]["template_id"] == TEMPLATE_ID
    assert request["body"]["personalisation"]["subject"] == "Due today: Governing board meets"
    assert request["body"]["reference"] == f"notification-{notification.pk}"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT


@pytest.mark.django_db
def test_a_notify_error_is_kept_for_the_operations_page(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "deadlines.notify.NotifyEmailBackend",
            "OPTIONS": {
                "api_key": API_KEY,
                "template_id": TEMPLATE_ID,
                "base_url": "http://127.0.0.1:9",  # nothing listens here
            },
        }
    }
    notification = NotificationPendingFactory()
    services.deliver_notifications()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert notification.last_error.startswith("MessageNotSent: ")

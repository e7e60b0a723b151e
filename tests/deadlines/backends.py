"""E-mail backends for tests: one that always fails; one that writes each message to a file
slowly (so a worker can be killed half way through a batch), and can hang once the first
message is written (so a worker can be killed right after the mail server accepted it); one
that cuts its own database connection once the message is accepted."""

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server refused the connection")


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        path = os.environ["CASEWORK_TEST_MAIL_FILE"]
        for message in email_messages:
            time.sleep(float(os.environ.get("CASEWORK_TEST_MAIL_DELAY", "0.2")))
            with open(path, "a") as log:
                reference = message.extra_headers["X-Casework-Reference"]
                log.write(json.dumps({"reference": reference, "to": message.to}) + "\n")
            if os.environ.get("CASEWORK_TEST_MAIL_HANG_AFTER_FIRST"):
                time.sleep(600)  # accepted; the worker is killed before it records so
        return len(email_messages)


class ConnectionCuttingBackend(BaseEmailBackend):
    """Accepts the message (into ``SENT``), then has PostgreSQL end the sender's connection, as
    a database restart or a network fault would, before the sender can record it."""

    SENT: list = []

    def send_messages(self, email_messages):
        import psycopg
        from django.db import connection

        ConnectionCuttingBackend.SENT.extend(email_messages)
        pid = connection.connection.info.backend_pid
        with psycopg.connect(**_connection_params(), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return len(email_messages)


def _connection_params() -> dict:
    from django.db import connection

    params = connection.get_connection_params()
    return {k: v for k, v in params.items() if k in {"dbname", "user", "password", "host", "port"}}

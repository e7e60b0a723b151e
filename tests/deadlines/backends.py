"""E-mail backends for tests: one that always fails, one that writes each message to a file
slowly (so a worker can be killed half way through a batch)."""

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
        return len(email_messages)

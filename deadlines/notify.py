"""An e-mail backend that sends through GOV.UK Notify.

Notify sends from templates: the service's template is expected to hold ``((subject))`` as its
subject and ``((body))`` as its message, so any Django e-mail can go through it.
"""

import requests
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from deadlines.services.delivery import MessageNotSent


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, *, api_key: str, template_id: str, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.client = NotificationsAPIClient(api_key, base_url=base_url)
        self.template_id = template_id

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages:
            reference = message.extra_headers.get("X-Casework-Reference")
            for address in message.recipients():
                self._send(message, address, reference)
            sent += 1
        return sent

    def _send(self, message, address, reference):
        """Notify answered with an error, or could not be reached: not sent. A request that
        timed out after it was made may have been taken: that error is raised as it is."""
        try:
            self.client.send_email_notification(
                email_address=address,
                template_id=self.template_id,
                personalisation={"subject": message.subject, "body": message.body},
                reference=reference,
            )
        except HTTPError as error:
            cause = error.__cause__
            if isinstance(cause, requests.Timeout) and not isinstance(
                cause, requests.ConnectTimeout
            ):
                raise
            raise MessageNotSent(str(error)) from error

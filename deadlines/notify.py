"""An e-mail backend that sends through GOV.UK Notify.

Notify sends from templates: the service's template is expected to hold ``((subject))`` as its
subject and ``((body))`` as its message, so any Django e-mail can go through it.
"""

from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient


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
                self.client.send_email_notification(
                    email_address=address,
                    template_id=self.template_id,
                    personalisation={"subject": message.subject, "body": message.body},
                    reference=reference,
                )
            sent += 1
        return sent

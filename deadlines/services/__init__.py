"""State changes for the school calendar, deadlines and their reminders.

The database is the source of truth for time: every time limit is a ``Deadline`` row, every
reminder a ``Notification`` row under a unique key. Celery tasks only call
:func:`sweep_reminders` and :func:`deliver_notifications`, which find their work in the database,
so a lost task, a dead worker or a restarted Redis is made good by the next run.
"""

from deadlines.services.calendar import (
    add_inset_day,
    copy_calendar_to_school,
    remove_inset_day,
    set_term_dates,
)
from deadlines.services.deadlines import (
    build_deadline,
    cancel_deadlines_for,
    complete_action,
    count_due_date,
    create_deadline,
    recipients,
    recount_provisional,
    satisfy_deadline,
    satisfy_deadlines_for,
    step_date,
    waive_deadline,
)
from deadlines.services.delivery import (
    backoff,
    deliver_notifications,
    mark_unknown_after_timeout,
    pending_delivery,
    retry_notification,
)
from deadlines.services.reconcile import reconcile_deadlines
from deadlines.services.reminders import (
    due_for_reminder,
    email_address,
    mark_missed,
    mark_notifications_read,
    notify_people,
    sweep_reminders,
)
from deadlines.services.webhooks import (
    announce,
    deliver_webhooks,
    register_webhook,
    revoke_webhook,
)

__all__ = [
    "add_inset_day",
    "announce",
    "backoff",
    "build_deadline",
    "cancel_deadlines_for",
    "complete_action",
    "copy_calendar_to_school",
    "count_due_date",
    "create_deadline",
    "deliver_notifications",
    "deliver_webhooks",
    "due_for_reminder",
    "email_address",
    "mark_missed",
    "mark_notifications_read",
    "mark_unknown_after_timeout",
    "notify_people",
    "pending_delivery",
    "recipients",
    "reconcile_deadlines",
    "recount_provisional",
    "register_webhook",
    "remove_inset_day",
    "retry_notification",
    "revoke_webhook",
    "satisfy_deadline",
    "satisfy_deadlines_for",
    "set_term_dates",
    "step_date",
    "sweep_reminders",
    "waive_deadline",
]

"""Celery tasks: each only calls a service that finds its work in the database."""

from celery import shared_task

from deadlines import services


@shared_task
def sweep_reminders_task() -> int:
    """Beat runs this every few minutes: write the reminders that are due."""
    return services.sweep_reminders()


@shared_task
def reconcile_deadlines_task() -> int:
    """Beat runs this daily: put back any deadline a live record has lost (each is logged at
    WARNING and recorded in the deadline's history), and return how many."""
    return len(services.reconcile_deadlines())


@shared_task
def deliver_notifications_task() -> int:
    """Beat runs this every minute, and the sweep queues it: send pending e-mails."""
    return services.deliver_notifications()


@shared_task
def deliver_webhooks_task() -> int:
    """Beat runs this every minute, and each change queues it: send pending webhooks."""
    return services.deliver_webhooks()

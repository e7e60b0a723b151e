from celery import shared_task

from accounts import services


@shared_task
def purge_idempotency_keys() -> int:
    """Scheduled hourly by Celery beat: forget the API's kept answers after a day."""
    return services.purge_idempotency_keys()

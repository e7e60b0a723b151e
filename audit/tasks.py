from celery import shared_task

from audit import services


@shared_task
def purge_access_log() -> int:
    """Scheduled daily by Celery beat: apply the access-log retention period."""
    return services.purge_access_log()

from celery import shared_task

from audit import services


@shared_task
def purge_access_log() -> int:
    """Scheduled daily by Celery beat: apply the access-log retention period."""
    return services.purge_access_log()


@shared_task
def apply_retention() -> int:
    """Monthly: anonymise what has passed its retention rule (a dry run is on the admin page)."""
    from audit.retention import apply_retention as run

    return len(run(None, dry_run=False).pupils)

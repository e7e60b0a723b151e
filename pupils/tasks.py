from celery import shared_task

from pupils import services


@shared_task
def run_import_task(job_id: int) -> str:
    """Run one import job (queued when its files are saved)."""
    return services.run_import(job_id).status

from celery import shared_task

from pupils import services


@shared_task
def run_import_task(job_id: int) -> str:
    """Run one import job (queued when its files are saved)."""
    return services.run_import(job_id).status


@shared_task
def purge_import_files() -> int:
    """Scheduled daily by Celery beat: forget the files of imports finished a month ago."""
    return services.purge_import_files()

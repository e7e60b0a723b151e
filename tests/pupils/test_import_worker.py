"""An import job runs on a real Celery worker over real Redis: queued when its files are saved
(once the transaction commits), applied by the worker, its report kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pupils import services
from pupils.models import CareStatus, ImportJob, ImportStatus
from tests.deadlines.test_worker_kill import QUEUE, start_worker, stop, wait_for
from tests.pupils.factories import pupil_at

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_applies_a_return_queued_from_the_page(
    tmp_path, settings, officer, authority, school
):
    from config.celery import app

    settings.IMPORT_TASK_QUEUE = QUEUE
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(QUEUE)
    pupil = pupil_at(school)
    worker = start_worker(tmp_path / "mail.jsonl")
    try:
        job = services.queue_looked_after_import(
            officer, authority=authority,
            header=SimpleUploadedFile(
                "header.csv", f"CHILD,SEX,DOB,UPN\nC1,1,01/01/2014,{pupil.upn}\n".encode()
            ),
            episodes=SimpleUploadedFile("episodes.csv", b"CHILD,DECOM,DEC,REC\nC1,01/09/2025,,\n"),
        )  # fmt: skip
        wait_for(
            lambda: ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE, 60,
            "the worker to run the import",
        )  # fmt: skip
    finally:
        stop(worker)
    pupil.refresh_from_db()
    assert pupil.care_status == CareStatus.LOOKED_AFTER
    assert [line["outcome"] for line in ImportJob.objects.get(pk=job.pk).report] == ["updated"]

"""Every import is a job: its files kept, run on the worker whole or not at all, its progress
shown while it runs and its report after, line by line with the reason in words."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from pupils import services
from pupils.models import CareStatus, ImportJob, ImportStatus
from tests.pupils.factories import pupil_at
from tests.pupils.test_ssda903 import EPISODES, HEADER, child, episode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_school_day")]


def files(children, episodes):
    return {
        "header": SimpleUploadedFile("header.csv", (HEADER + "".join(children)).encode()),
        "episodes": SimpleUploadedFile("episodes.csv", (EPISODES + "".join(episodes)).encode()),
    }


def test_the_virtual_school_loads_a_return_and_reads_what_became_of_each_child(
    officer, school, client_for
):
    pupil = pupil_at(school)
    client = client_for(officer)
    form = client.get(reverse("pupils:import-looked-after")).content.decode()
    assert "Header file" in form and "No return has been loaded yet" in form
    sent = client.post(reverse("pupils:import-looked-after"), files(
        [child("C1", pupil), "C2,1,01/01/2014,WBRI,UN1,,\n"],
        [episode("C1", "01/09/2025"), episode("C2", "01/09/2025")],
    ))  # fmt: skip
    job = ImportJob.objects.get()
    assert sent.status_code == 302 and sent.url == reverse("pupils:import", args=[job.pk])
    waiting = client.get(sent.url).content.decode()
    assert "Waiting to start: 0 of the children" in waiting
    assert 'http-equiv="refresh"' in waiting  # without JavaScript, the page reloads itself
    assert services.run_import(job.pk).status == ImportStatus.DONE
    pupil.refresh_from_db()
    assert pupil.care_status == CareStatus.LOOKED_AFTER
    report = client.get(sent.url).content.decode()
    assert "2 children" in report and "Changed (1)" in report and "Not taken (1)" in report
    assert "Looked after (CLA) from 1 September 2025." in report
    assert "No UPN: find the child and record their care status by hand." in report
    assert 'http-equiv="refresh"' not in report
    finished = client.get(reverse("pupils:import-progress", args=[job.pk]))
    assert (finished.status_code, finished["HX-Refresh"]) == (204, "true")


def test_a_refused_return_changes_nothing_and_its_page_lists_every_problem(
    officer, authority, school, client_for
):
    pupil = pupil_at(school)
    job = services.queue_looked_after_import(
        officer, authority=authority,
        **files([child("C1", pupil)], [episode("C1", "01/09/2025"), episode("C1", "31/02/2026")]),
    )  # fmt: skip
    assert services.run_import(job.pk).status == ImportStatus.REFUSED
    pupil.refresh_from_db()
    assert (pupil.care_status, pupil.care_episodes.count()) == (CareStatus.NONE, 0)
    page = client_for(officer).get(reverse("pupils:import", args=[job.pk])).content.decode()
    assert "Refused: nothing was changed" in page
    assert "episodes file, line 3, DECOM: 31/02/2026 is not a real date as dd/mm/yyyy" in page
    assert services.run_import(job.pk).status == ImportStatus.REFUSED  # run once only


def test_a_file_over_the_limit_is_refused_before_it_is_read(officer, school, client_for, settings):
    settings.IMPORT_MAX_BYTES = 40
    pupil = pupil_at(school)
    refused = client_for(officer).post(reverse("pupils:import-looked-after"), files(
        [child("C1", pupil)], [episode("C1", "01/09/2025")]
    ))  # fmt: skip
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "The header file must be smaller than 40\xa0bytes" in text
    assert "govuk-error-summary" in text
    assert not ImportJob.objects.exists()


def test_the_progress_shows_how_many_children_are_done_while_it_runs(
    officer, authority, school, client_for
):
    from django.core.cache import cache

    job = services.queue_looked_after_import(
        officer, authority=authority, **files([child("C1", pupil_at(school))], [])
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    cache.set(services.PROGRESS_KEY.format(job.pk), (120, 480), 60)
    part = client_for(officer).get(reverse("pupils:import-progress", args=[job.pk]))
    text = part.content.decode()
    assert "Running: 120 of 480 children" in text
    assert 'max="480" value="120"' in text and "25%" in text


def test_only_the_virtual_school_loads_returns(member, client_for):
    school_staff = member(Role.SCHOOL_STAFF)
    assert client_for(school_staff).get(reverse("pupils:import-looked-after")).status_code == 403


def test_a_waiting_job_shows_no_count_left_by_an_earlier_job(officer, authority, school,
                                                              client_for):  # fmt: skip
    """A count in the cache under the same id (left by a job of a database since emptied) is
    not this job's: only a running job reads the worker's count, and a finished job's goes."""
    from django.core.cache import cache

    job = services.queue_looked_after_import(
        officer, authority=authority, **files([child("C1", pupil_at(school))], [])
    )
    cache.set(services.PROGRESS_KEY.format(job.pk), (5, 9), 60)
    page = client_for(officer).get(reverse("pupils:import", args=[job.pk])).content.decode()
    assert "Waiting to start: 0 of the children" in page
    services.run_import(job.pk)
    assert cache.get(services.PROGRESS_KEY.format(job.pk)) is None

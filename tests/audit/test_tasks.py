"""Celery integration: a real worker, over the real Redis broker, runs the retention task."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from accounts.models import Role
from audit.models import AccessLog
from audit.tasks import purge_access_log
from config.celery import app
from tests.pupils.factories import SchoolFactory, pupil_at


@pytest.mark.django_db(transaction=True)
def test_worker_purges_expired_access_log_rows(member, authority, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    school = SchoolFactory(organisation__local_authority=authority)
    pupil = pupil_at(school)
    user = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    row = AccessLog.objects.create(
        user=user, pupil=pupil, authority=authority, page="pupil summary", path="/"
    )
    AccessLog.objects.filter(pk=row.pk).update(
        viewed_at=timezone.now() - datetime.timedelta(days=40)
    )
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        purge_access_log.delay()
        deadline = time.monotonic() + 20
        while AccessLog.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert not AccessLog.objects.exists()

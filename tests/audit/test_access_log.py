import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AccessLog
from audit.services import purge_access_log
from tests.pupils.factories import SchoolFactory, pupil_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(authority):
    return SchoolFactory(organisation__local_authority=authority)


def test_viewing_a_pupil_writes_an_access_log_row(client_for, member, school):
    pupil = pupil_at(school)
    user = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    before = timezone.now()
    client_for(user).get(reverse("pupils:detail", args=[pupil.pk]))
    row = AccessLog.objects.get()
    assert (row.user, row.pupil, row.page) == (user, pupil, "pupil summary")
    assert row.path == reverse("pupils:detail", args=[pupil.pk])
    assert row.organisation == school.organisation
    assert row.viewed_at >= before


def test_a_refused_view_writes_no_row(client_for, member, school):
    pupil = pupil_at(SchoolFactory())
    client_for(member(Role.SCHOOL_STAFF, organisation=school.organisation)).get(
        reverse("pupils:detail", args=[pupil.pk])
    )
    assert not AccessLog.objects.exists()


def test_la_administrator_reads_who_viewed_a_pupil(client_for, member, school):
    pupil = pupil_at(school)
    viewer = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    client_for(viewer).get(reverse("pupils:detail", args=[pupil.pk]))
    admin = member(Role.LA_ADMINISTRATOR)
    response = client_for(admin).get(reverse("audit:access-log"), {"upn": pupil.upn.lower()})
    assert response.status_code == 200
    assert [row.user for row in response.context["rows"]] == [viewer]
    assert viewer.email in response.content.decode()


def test_access_log_asks_for_a_valid_upn(client_for, member):
    response = client_for(member(Role.LA_ADMINISTRATOR)).get(
        reverse("audit:access-log"), {"upn": "A801200005001"}
    )
    assert response.status_code == 400
    assert "Enter a valid UPN" in response.content.decode()


@pytest.mark.parametrize("role", [Role.SCHOOL_STAFF, Role.VIRTUAL_SCHOOL_OFFICER, Role.CASEWORKER])
def test_only_la_administrators_read_the_access_log(client_for, member, role):
    assert client_for(member(role)).get(reverse("audit:access-log")).status_code == 403


def test_retention_deletes_only_rows_older_than_the_period(member, school, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    pupil = pupil_at(school)
    user = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    old, recent = (
        AccessLog.objects.create(
            user=user,
            pupil=pupil,
            authority=school.organisation.local_authority,
            page="p",
            path="/",
        )
        for _ in range(2)
    )
    AccessLog.objects.filter(pk=old.pk).update(
        viewed_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert purge_access_log() == 1
    assert list(AccessLog.objects.all()) == [recent]

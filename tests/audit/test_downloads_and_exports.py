"""Every download and export is in the access log; a list of more than 100 pupils needs a
reason."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audit.models import AccessLog
from tests.plans.factories import PspActiveFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import ReferralSubmittedFactory

pytestmark = pytest.mark.django_db


def test_a_plan_download_is_logged_with_its_pupil(client_for, member, school):
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    psp = PspActiveFactory(pupil=pupil_at(school), school=school, created_by=senco)
    client_for(senco).get(reverse("plans:psp-download", args=[psp.pk, "pdf"]))
    row = AccessLog.objects.get()
    assert (row.kind, row.pupil, row.user) == ("download", psp.pupil, senco)


def test_an_export_is_logged_with_how_many_records(client_for, member, orgs, types, school):
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["bass"])
    for _ in range(3):
        ReferralSubmittedFactory(referral_type=types["bass"], pupil=pupil_at(school), school=school)
    quarter = f"{timezone.localdate():%Y-%m}"
    client_for(manager).get(
        reverse("reporting:export", args=["services", "by_type", "csv"]),
        {"service": orgs["bass"].pk, "quarter": quarter},
    )
    row = AccessLog.objects.get()
    assert (row.kind, row.records, row.pupil) == ("export", 3, None)


def test_a_list_of_more_than_100_pupils_needs_a_reason(client_for, member, orgs, types, school):
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["bass"])
    for _ in range(101):
        ReferralSubmittedFactory(referral_type=types["bass"], pupil=pupil_at(school), school=school)
    client = client_for(manager)
    url = reverse("reporting:drill", args=["services", "received"])
    query = {"service": orgs["bass"].pk, "quarter": f"{timezone.localdate():%Y-%m}"}
    asked = client.get(url, query)
    assert "Why do you need this list?" in asked.content.decode()
    assert asked.context.get("records") is None
    empty = client.get(url, {**query, "reason": " "})
    assert empty.status_code == 400
    assert "Enter why you need the records of 101 pupils" in empty.content.decode()
    shown = client.get(url, {**query, "reason": "Governors' report on waiting times"})
    assert len(shown.context["records"]) == 101
    row = AccessLog.objects.get()
    assert (row.kind, row.records, row.reason) == (
        "export", 101, "Governors' report on waiting times"
    )  # fmt: skip

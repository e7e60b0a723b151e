import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.test_api import token_for

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_reporting_figures_come_through_the_api_for_managers_only(
    client, school, orgs, member, client_for
):
    admin = member(Role.LA_ADMINISTRATOR)
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["boss"])
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    body = client.get(
        "/api/v1/reporting/services", {"quarter": "2026-01"}, **token_for(admin, manager)
    ).json()
    page = client_for(manager).get(reverse("reporting:services-json"), {"quarter": "2026-01"})
    assert body == page.json() and body["service"] == "BOSS"
    refused = client.get("/api/v1/reporting/services", **token_for(admin, caseworker))
    assert refused.status_code == 403 and refused.json()["errors"][0]["message"]


def test_the_exclusion_figures_come_through_the_api_for_exclusions_officers(client, school, member):
    from tests.exclusions.factories import SuspensionFactory
    from tests.pupils.factories import pupil_at

    admin = member(Role.LA_ADMINISTRATOR)
    officer = member(Role.EXCLUSIONS_OFFICER)
    staff = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    for start in (D(2026, 2, 2), D(2025, 6, 2)):
        SuspensionFactory(pupil=pupil_at(school), school=school, start_date=start, created_by=staff)
    body = client.get(
        "/api/v1/reporting/exclusions", {"quarter": "2026-01"}, **token_for(admin, officer)
    ).json()
    assert body["quarter"] == {"start": "2026-01-01", "end": "2026-03-31"}
    assert sum(body["breakdowns"]["by_school"].values()) == 1
    refused = client.get("/api/v1/reporting/exclusions", **token_for(admin, staff))
    assert refused.status_code == 403

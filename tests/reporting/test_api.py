import pytest
from django.urls import reverse

from accounts.models import Role
from tests.test_api import token_for

pytestmark = pytest.mark.django_db


def test_the_reporting_figures_come_through_the_api_for_managers_only(
    client, school, orgs, member, client_for
):
    admin = member(Role.LA_ADMINISTRATOR)
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["boss"])
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    body = client.get(
        "/api/v1/reporting/services/", {"quarter": "2026-01"}, **token_for(admin, manager)
    ).json()
    page = client_for(manager).get(reverse("reporting:services-json"), {"quarter": "2026-01"})
    assert body == page.json() and body["service"] == "BOSS"
    refused = client.get("/api/v1/reporting/services/", **token_for(admin, caseworker))
    assert refused.status_code == 403 and refused.json()["errors"][0]["message"]

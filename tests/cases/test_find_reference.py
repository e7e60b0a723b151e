"""The header's search by reference, and what the case page shows of its pupil and work."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from cases import services
from pupils.models import CareStatus, SenStatus
from tests.cases.factories import CaseOpenFactory, ServiceSettingsFactory
from tests.exclusions.factories import SuspensionFactory
from tests.pupils.factories import SchoolFactory, pupil_at
from tests.referrals.factories import ReferralAllocatedFactory

pytestmark = pytest.mark.django_db


def open_case(types, school, caseworker, **pupil_fields):
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"],
        pupil=pupil_at(school, **pupil_fields),
        school=school,
        reason="Leaves lessons and hides in the toilets.",
    )
    return CaseOpenFactory(referral=referral, caseworker=caseworker)


@pytest.mark.parametrize("typed", ["{ref}", " {lower} ", "{spaced}"])
def test_a_reference_in_the_header_goes_straight_to_the_record(
    client_for, caseworker, types, school, typed
):
    case = open_case(types, school, caseworker)
    ref = case.reference
    text = typed.format(ref=ref, lower=ref.lower(), spaced=ref.replace("-", "- "))
    response = client_for(caseworker).get(reverse("accounts:find"), {"reference": text})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])


def test_referral_and_exclusion_references_are_found_too(
    client_for, member, types, school, caseworker
):
    case = open_case(types, school, caseworker)
    officer = member(Role.EXCLUSIONS_OFFICER)
    exclusion = SuspensionFactory(pupil=pupil_at(school), school=school, created_by=officer)
    client = client_for(caseworker)
    found = client.get(reverse("accounts:find"), {"reference": case.referral.reference})
    assert found["Location"] == reverse("referrals:detail", args=[case.referral.pk])
    assert exclusion.reference == f"EXC-{exclusion.pk:06d}"
    found = client_for(officer).get(reverse("accounts:find"), {"reference": exclusion.reference})
    assert found["Location"] == reverse("exclusions:detail", args=[exclusion.pk])


def test_a_record_the_user_cannot_see_is_not_found_and_nothing_says_it_exists(
    client_for, member, orgs, types, authority
):
    other_school = SchoolFactory(organisation__local_authority=authority)
    stranger = member(Role.SCHOOL_STAFF, organisation=SchoolFactory().organisation)
    case = open_case(types, other_school, member(Role.CASEWORKER, organisation=orgs["boss"]))
    for reference in [case.reference, case.referral.reference, "CASE-999999999", "nonsense"]:
        response = client_for(stranger).get(reverse("accounts:find"), {"reference": reference})
        assert response.status_code == 404
        assert "No referral, case or exclusion that you can see" in response.content.decode()


def test_the_header_offers_the_search_to_staff_but_not_to_the_la_administrator(
    client_for, member, caseworker
):
    assert 'id="header-reference"' in client_for(caseworker).get("/").content.decode()
    admin = member(Role.LA_ADMINISTRATOR)
    assert 'id="header-reference"' not in client_for(admin).get("/").content.decode()


def test_the_case_page_shows_the_pupil_the_reason_the_weeks_and_the_actions_to_do(
    client_for, caseworker, orgs, types, school
):
    """Opened on 12 January 2026; on Monday 2 March it has used 6 of 22 school weeks."""
    ServiceSettingsFactory(service=orgs["boss"], maximum_involvement_weeks=22, minimum_contacts=10)
    case = open_case(
        types, school, caseworker, care_status=CareStatus.LOOKED_AFTER,
        sen_status=SenStatus.EHCP,
    )  # fmt: skip
    action = services.agree_action(
        caseworker, case, description="Call the SENCO", owner=caseworker,
        due_date=datetime.date(2026, 3, 6),
    )  # fmt: skip
    html = client_for(caseworker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.reference in html
    assert "Looked after (CLA)" in html
    assert "Education, health and care plan (EHCP)" in html
    assert "Leaves lessons and hides in the toilets." in html
    assert reverse("referrals:detail", args=[case.referral.pk]) in html
    assert "6 of 22 school weeks" in html
    assert reverse("deadlines:done", args=[action.pk]) in html


def test_the_bip_is_among_the_case_s_plans_for_the_service_and_the_school(
    client_for, caseworker, senco, types, school
):
    from plans.models import BehaviourImprovementPlan

    case = open_case(types, school, caseworker)
    bip = BehaviourImprovementPlan.objects.create(
        case=case, pupil=case.pupil, school=school, understanding_of_needs="Anxious at lunch",
        strategies="A calm space", targets="Stays in class", who_does_what="Mentor daily",
        next_review_date=datetime.date(2026, 2, 20),
    )  # fmt: skip
    for user in (caseworker, senco):
        html = client_for(user).get(reverse("cases:detail", args=[case.pk])).content.decode()
        plans = html.split('data-testid="case-plans"')[1].split("</ul>")[0]
        assert reverse("plans:bip", args=[bip.pk]) in plans
        assert "Review overdue" in plans  # 20 February, before Monday 2 March

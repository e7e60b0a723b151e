"""Seed 004: "For Stage 2 referrals, a more detailed evaluation - B/ex 6 will be posted to the
parent on the day of closure": the parent partnership service's form, not BOSS's."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from cases import services
from cases.models import Evaluation
from config.errors import DomainError
from tests.cases.factories import CaseClosedFactory, CaseOpenFactory, ServiceSettingsFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import ReferralAllocatedFactory

pytestmark = pytest.mark.django_db


def closed_case(types, school, caseworker, kind):
    referral = ReferralAllocatedFactory(
        referral_type=types[kind], pupil=pupil_at(school), school=school
    )
    return CaseClosedFactory(
        referral=referral,
        caseworker=caseworker,
        closed_on=datetime.date(2026, 2, 27),
        closure_reason="risk_reduced",
    )


def test_the_parent_partnership_service_records_the_parent_s_b_ex6(
    client_for, member, orgs, types, school
):
    ServiceSettingsFactory(service=orgs["behaviour-officer"], posts_parent_evaluation=True)
    officer = member(Role.CASEWORKER, organisation=orgs["behaviour-officer"])
    case = closed_case(types, school, officer, "bex2")
    client = client_for(officer)
    assert (
        reverse("cases:evaluate", args=[case.pk])
        in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    services.record_evaluation(officer, case, respondent="parent", answers="Helpful at appeal")
    assert Evaluation.objects.get(case=case).answers == "Helpful at appeal"


def test_boss_does_not_post_the_b_ex6(client_for, caseworker, orgs, types, school):
    ServiceSettingsFactory(service=orgs["boss"], maximum_involvement_weeks=22)
    case = closed_case(types, school, caseworker, "boss")
    html = client_for(caseworker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Record the parent&#x27;s evaluation" not in html
    with pytest.raises(DomainError, match="posted by the parent partnership service"):
        services.record_evaluation(caseworker, case, respondent="parent", answers="x")
    assert not Evaluation.objects.exists()


def test_closing_a_parent_partnership_case_e_mails_the_parent_the_b_ex6(
    member, orgs, types, school
):
    from deadlines.models import Notification
    from pupils.models import Relationship

    ServiceSettingsFactory(service=orgs["behaviour-officer"], posts_parent_evaluation=True)
    officer = member(Role.CASEWORKER, organisation=orgs["behaviour-officer"])
    referral = ReferralAllocatedFactory(
        referral_type=types["bex2"], pupil=pupil_at(school), school=school
    )
    case = CaseOpenFactory(referral=referral, caseworker=officer)
    case.pupil.contacts.create(
        relationship=Relationship.PARENT_CARER, name="Jo Stone", email="jo@family.example"
    )
    services.close_case(officer, case, reason="risk_reduced", risk_continues=False)
    assert "how we did (form B/ex6)" in Notification.objects.get(to_email="jo@family.example").body

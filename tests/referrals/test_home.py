"""Each role's home page shows its referral work, with counts that link to the records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.middleware import SESSION_KEY
from accounts.models import Role
from config.errors import DomainError
from pupils.models import CareStatus
from referrals import services
from referrals.models import Status
from tests.accounts.factories import MembershipFactory
from tests.pupils.factories import SchoolFactory, pupil_at
from tests.referrals.factories import (
    ReferralAcceptedFactory,
    ReferralSubmittedFactory,
    checklist_ticked,
)
from tests.referrals.test_rules import boss_referral

pytestmark = pytest.mark.django_db


def _submitted(types, school, **fields):
    return ReferralSubmittedFactory(
        referral_type=types["boss"], pupil=fields.pop("pupil", None) or pupil_at(school),
        school=school, **fields,
    )  # fmt: skip


def test_the_school_sees_the_gateway_s_question_and_answers_it_as_that_school(
    client_for, senco, school, types, authority
):
    """A SENCO working for two schools, signed in for the other one, answers the gateway's
    question from the home page: the switch to the referral's school is made for them."""
    other = SchoolFactory(organisation__local_authority=authority, name="Elm Academy")
    membership = MembershipFactory(
        user=senco, organisation=other.organisation, role=Role.SCHOOL_STAFF
    )
    asked = _submitted(types, school, status=Status.MORE_INFORMATION, question="Which year?")
    _submitted(types, school)  # waiting at the gateway: nothing to answer
    client = client_for(senco)
    session = client.session
    session[SESSION_KEY] = membership.pk
    session.save()

    home = client.get(reverse("accounts:home"))
    assert [r.pk for r in home.context["questions"]] == [asked.pk]
    html = home.content.decode()
    assert "you will be switched to this school" in html
    assert reverse("referrals:answer", args=[asked.pk]) in html

    page = client.get(reverse("referrals:answer", args=[asked.pk]))
    assert page.status_code == 200
    assert "You are now working for Oakfield Primary." in page.content.decode()
    assert client.session[SESSION_KEY] == senco.memberships.get(organisation=school.organisation).pk
    client.post(reverse("referrals:answer", args=[asked.pk]), {"answer": "Year 5"})
    asked.refresh_from_db()
    assert asked.status == Status.SUBMITTED
    assert asked.answer == "Year 5"


def test_the_school_s_referrals_are_counted_by_status_and_each_count_lists_them(
    client_for, senco, school, types
):
    waiting = [_submitted(types, school) for _ in range(2)]
    accepted = ReferralAcceptedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    client = client_for(senco)
    counts = {
        item["label"]: (item["count"], item["url"])
        for item in client.get(reverse("accounts:home")).context["referrals_by_status"]
    }
    assert counts == {
        "Submitted": (2, f"{reverse('referrals:list')}?status=submitted"),
        "Accepted: awaiting allocation": (1, f"{reverse('referrals:list')}?status=accepted"),
    }
    listed = client.get(reverse("referrals:list"), {"status": "submitted"})
    assert {r.pk for r in listed.context["referrals"]} == {r.pk for r in waiting}
    assert accepted.pk not in {r.pk for r in listed.context["referrals"]}
    assert "Referrals: submitted" in listed.content.decode()


def test_the_screener_s_counts_flag_what_is_screened_first(client_for, screener, school, types):
    _submitted(types, school)
    _submitted(types, school, crisis=True, crisis_reason="Knife in school")
    _submitted(types, school, pupil=pupil_at(school, care_status=CareStatus.LOOKED_AFTER))
    _submitted(types, school, answer="Year 5", question="Which year?")
    _submitted(types, school, incomplete=True)
    mine = _submitted(types, school)
    services.take_for_screening(screener, mine)
    ReferralAcceptedFactory(referral_type=types["boss"], pupil=pupil_at(school), school=school)
    items = client_for(screener).get(reverse("accounts:home")).context["screening"]["items"]
    counts = {item["label"]: item["count"] for item in items}
    assert counts == {
        "waiting to be screened": 6,
        "assigned to you": 1,
        "at crisis point": 1,
        "for looked-after pupils": 1,
        "with the school's answer to read": 1,
        "sent incomplete": 1,
    }


@pytest.mark.parametrize(
    "flag, which",
    [("crisis", "crisis"), ("looked_after", "cla"), ("answered", "answered"),
     ("incomplete", "incomplete"), ("mine", "mine")],
)  # fmt: skip
def test_each_count_opens_the_queue_with_only_those_referrals(
    client_for, screener, school, types, flag, which
):
    made = {
        "plain": _submitted(types, school),
        "crisis": _submitted(types, school, crisis=True, crisis_reason="Knife in school"),
        "cla": _submitted(
            types, school, pupil=pupil_at(school, care_status=CareStatus.LOOKED_AFTER)
        ),
        "answered": _submitted(types, school, answer="Year 5", question="Which year?"),
        "incomplete": _submitted(types, school, incomplete=True),
        "mine": _submitted(types, school),
    }
    services.take_for_screening(screener, made["mine"])
    response = client_for(screener).get(reverse("referrals:queue"), {"flag": flag})
    assert [r.pk for r in response.context["page"].object_list] == [made[which].pk]


def test_the_queue_counts_waiting_in_school_days_not_calendar_days(
    client_for, screener, school, types
):
    """Sent on Friday 13 February 2026, the last day before half term; on Monday 2 March the
    referral has waited 6 school days (23 to 27 February and 2 March), not 17 days."""
    sent = timezone.make_aware(datetime.datetime(2026, 2, 13, 15, 0))
    referral = _submitted(types, school, submitted_at=sent)
    response = client_for(screener).get(reverse("referrals:queue"))
    [row] = response.context["page"].object_list
    assert row.pk == referral.pk
    assert row.waited == 6


def test_a_reference_typed_in_any_case_finds_the_referral_in_any_status(
    client_for, screener, school, types
):
    wanted = ReferralAcceptedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    _submitted(types, school)
    response = client_for(screener).get(
        reverse("referrals:queue"), {"q": f"  {wanted.reference.lower()} "}
    )
    assert [r.pk for r in response.context["page"].object_list] == [wanted.pk]


def test_a_referral_taken_by_one_screener_is_refused_to_the_next_and_no_other_is_touched(
    screener, member, orgs, school, types
):
    colleague = member(Role.GATEWAY_SCREENER, organisation=orgs["prt"])
    taken, untouched = _submitted(types, school), _submitted(types, school)
    services.take_for_screening(screener, taken)
    with pytest.raises(DomainError, match="has already taken this referral"):
        services.take_for_screening(colleague, taken)
    taken.refresh_from_db()
    untouched.refresh_from_db()
    assert taken.screener == screener
    assert untouched.screener is None


def test_a_screened_referral_cannot_be_taken(screener, school, types):
    accepted = ReferralAcceptedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    with pytest.raises(DomainError, match="already been screened"):
        services.take_for_screening(screener, accepted)


def test_the_screening_page_offers_assign_to_me_then_names_who_has_it(
    client_for, screener, member, orgs, school, types
):
    referral = _submitted(types, school)
    client = client_for(screener)
    assert (
        'data-testid="take"'
        in client.get(reverse("referrals:screen", args=[referral.pk])).content.decode()
    )
    response = client.post(reverse("referrals:take", args=[referral.pk]), follow=True)
    assert f"{referral.reference} is assigned to you." in response.content.decode()
    colleague = member(Role.GATEWAY_SCREENER, organisation=orgs["prt"])
    html = (
        client_for(colleague).get(reverse("referrals:screen", args=[referral.pk])).content.decode()
    )
    assert escape(f"{screener.full_name} has taken this referral.") in html


def test_the_manager_sees_what_awaits_allocation_and_the_first_allocate_by_day(
    client_for, boss_manager, senco, screener, school, types
):
    """Accepted on Monday 2 March 2026, a BOSS referral is allocated within 2 school weeks:
    by Monday 16 March. Another service's accepted referral is not this manager's."""
    referral = boss_referral(senco, pupil_at(school), types, school)
    services.submit_referral(senco, referral)
    services.accept_referral(screener, referral, checklist=checklist_ticked(referral))
    ReferralAcceptedFactory(referral_type=types["bass"], pupil=pupil_at(school), school=school)
    awaiting = client_for(boss_manager).get(reverse("accounts:home")).context["awaiting"]
    assert awaiting["count"] == 1
    assert awaiting["allocate_by"] == datetime.date(2026, 3, 16)

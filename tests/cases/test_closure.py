import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from cases import services
from cases.models import Case, CaseStatus
from config.errors import DomainError
from deadlines.codes import KindCode
from deadlines.models import Notification
from deadlines.selectors import deadlines_of
from pupils.models import CareStatus, Relationship
from tests.cases.factories import CaseOpenFactory, ContactFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import (
    ReferralAllocatedFactory,
    checklist_ticked,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def a_case(types, school, caseworker, **pupil_fields):
    pupil = pupil_at(school, **pupil_fields)
    referral = ReferralAllocatedFactory(referral_type=types["boss"], pupil=pupil, school=school)
    return CaseOpenFactory(referral=referral, caseworker=caseworker)


def meeting(case, caseworker, *, virtual_school):
    return services.record_meeting(
        caseworker,
        case,
        date=D(2026, 2, 27),
        attendees="SENCO, BOSS caseworker, parent" + (", virtual school" if virtual_school else ""),
        virtual_school_attended=virtual_school,
        next_steps="Managed move to be considered through Fair Access",
    )


def test_risk_continuing_needs_a_multi_agency_meeting_first(types, school, caseworker):
    """Seed 000: "If risk continues, then multi-agency meeting needs to consider next steps":
    closing for that reason needs the meeting recorded first."""
    case = a_case(types, school, caseworker)
    with pytest.raises(DomainError, match="record the multi-agency meeting"):
        services.close_case(caseworker, case, reason="maximum_reached", risk_continues=True)
    meeting(case, caseworker, virtual_school=False)
    services.close_case(caseworker, case, reason="maximum_reached", risk_continues=True)
    assert case.status == CaseStatus.CLOSED


def test_a_looked_after_pupil_needs_the_virtual_school_at_the_meeting(types, school, caseworker):
    """Seed 000: the multi-agency meeting includes the "virtual school when the child is in
    care"."""
    case = a_case(types, school, caseworker, care_status=CareStatus.LOOKED_AFTER)
    meeting(case, caseworker, virtual_school=False)
    with pytest.raises(DomainError, match="the virtual school must be at the multi-agency"):
        services.close_case(caseworker, case, reason="maximum_reached", risk_continues=True)
    meeting(case, caseworker, virtual_school=True)
    services.close_case(caseworker, case, reason="maximum_reached", risk_continues=True)


def test_other_needs_words_and_risk_reduced_needs_no_meeting(types, school, caseworker):
    """Seed 000: BOSS closes "once the risk of exclusion has reduced" without a meeting; "other"
    needs the reason in words."""
    case = a_case(types, school, caseworker)
    with pytest.raises(DomainError, match="Enter the reason for closing"):
        services.close_case(caseworker, case, reason="other", risk_continues=False)
    services.close_case(caseworker, case, reason="risk_reduced", risk_continues=False)
    assert case.closure_reason == "risk_reduced"


def test_closure_tells_everyone_and_asks_the_school_for_its_rating(
    types, school, caseworker, senco, orgs, member
):
    """Seed 004 (form B/ex5): "All interested parties involved in the referral will be notified that
    the case is to be closed"; the school is asked for its B/ex6 rating."""
    officer = member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=orgs["virtual-school"])
    case = a_case(types, school, caseworker, care_status=CareStatus.PREVIOUSLY_LOOKED_AFTER)
    case.pupil.contacts.create(
        relationship=Relationship.PARENT_CARER, name="Jo Stone", email="jo@family.example"
    )
    services.close_case(caseworker, case, reason="risk_reduced", risk_continues=False)
    told = Notification.objects.all()
    assert told.filter(recipient=senco, url=reverse("cases:evaluate", args=[case.pk])).exists()
    assert told.filter(recipient=officer).exists()
    parent = told.get(to_email="jo@family.example")
    assert "has ended" in parent.subject
    assert "B/ex6" not in parent.body  # BOSS does not post the parent's evaluation (seed 004)


def test_closure_cancels_the_open_deadlines(types, school, caseworker):
    """A closed case's own open deadlines are cancelled with it, and no other case's."""
    case = a_case(types, school, caseworker)
    services.agree_action(
        caseworker, case, description="Send the BIP to school", owner=caseworker,
        due_date=D(2026, 3, 6),
    )  # fmt: skip
    services.close_case(caseworker, case, reason="risk_reduced", risk_continues=False)
    assert deadlines_of(case, KindCode.ACTION).get().status == "cancelled"


def test_an_agreed_action_is_a_deadline_for_its_owner(types, school, caseworker):
    """Seed 004 (form B/ex4): each agreed action has an owner and a date, and is a deadline for that
    person."""
    case = a_case(types, school, caseworker)
    deadline = services.agree_action(
        caseworker, case, description="Observe in maths", owner=caseworker, due_date=D(2026, 3, 6)
    )
    assert (deadline.owner_user, deadline.due_date) == (caseworker, D(2026, 3, 6))
    assert case.activities.get(kind="action").note.startswith("Observe in maths")


def test_reopening_keeps_every_earlier_record(client_for, types, school, caseworker):
    """Seed 004: "Cases can be reopened, keeping earlier records." """
    case = a_case(types, school, caseworker)
    ContactFactory(case=case, recorded_by=caseworker, notes="First episode visit")
    services.close_case(caseworker, case, reason="risk_reduced", risk_continues=False)
    with pytest.raises(DomainError, match="Enter why"):
        services.reopen_case(caseworker, case, reason="")
    episode = services.reopen_case(caseworker, case, reason="New suspension")
    assert episode.previous == case and episode.status == CaseStatus.OPEN
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    html = client_for(caseworker).get(reverse("cases:detail", args=[episode.pk])).content.decode()
    assert "First episode visit" in html and "Case reopened" in html
    with pytest.raises(DomainError, match="already been reopened"):
        services.reopen_case(caseworker, case, reason="Again")


def test_the_school_rates_the_service_out_of_5(client_for, types, school, caseworker, senco):
    """Seed 004 (form B/ex6): the school rates the service out of 5."""
    case = a_case(types, school, caseworker)
    services.close_case(caseworker, case, reason="school_can_deliver", risk_continues=False)
    client = client_for(senco)
    missing = client.post(reverse("cases:evaluate", args=[case.pk]), {"answers": "Good"})
    assert "Select a rating from 1 to 5" in missing.content.decode()
    response = client.post(reverse("cases:evaluate", args=[case.pk]), {"rating": "5"})
    assert response.status_code == 302
    assert case.evaluations.get().rating == 5


def test_the_close_page_shows_the_rule_by_the_field(client_for, types, school, caseworker):
    """The closure page states each closing rule by its field, in the users' words."""
    case = a_case(types, school, caseworker)
    response = client_for(caseworker).post(
        reverse("cases:close", args=[case.pk]),
        {"reason": "maximum_reached", "risk_continues": "yes"},
    )
    assert response.status_code == 400
    assert "record the multi-agency meeting" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_the_closure_says_exactly_who_was_told(client_for, types, school, caseworker, senco):
    """Not "the school, family and virtual school have been told" for a pupil who is not looked
    after and has no family e-mail: the school, and nobody who was not."""
    case = a_case(types, school, caseworker)
    client = client_for(caseworker)
    answers = {"reason": "school_can_deliver", "risk_continues": "no"}
    asked = client.post(reverse("cases:close", args=[case.pk]), answers)
    will_be_told = asked.content.decode().split('data-testid="will-be-told"')[1].split("</dd>")[0]
    assert f"the school ({school.name})" in will_be_told
    assert "virtual school" not in will_be_told
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN  # asking closes nothing
    response = client.post(
        reverse("cases:close", args=[case.pk]), {**answers, "confirm": "yes"}, follow=True
    )
    html = response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    assert f"Told: the school ({school.name})." in html
    assert "virtual school" not in html.split("Told:")[1].split("</")[0]


def test_the_22_week_limit_reminds_at_18_and_20_weeks(accepted_case_settings):
    """Seed 000: "BOSS aims to withdraw from the process after a maximum of 22 weeks of
    involvement": the caseworker is reminded at 18 and 20 weeks."""
    limit = accepted_case_settings
    steps = sorted(limit.kind.steps.values_list("offset", flat=True))
    assert steps == [-20, -10, 0]


@pytest.fixture
def accepted_case_settings(senco, pupil, types, school, screener, boss_manager, caseworker, orgs):
    from referrals import services as referral_services
    from tests.cases.factories import ServiceSettingsFactory
    from tests.referrals.test_rules import boss_referral

    ServiceSettingsFactory(service=orgs["boss"], maximum_involvement_weeks=22)
    referral = boss_referral(senco, pupil, types, school)
    referral_services.submit_referral(senco, referral)
    referral_services.accept_referral(screener, referral, checklist=checklist_ticked(referral))
    case = services.allocate_referral(boss_manager, referral, caseworker=caseworker)
    return deadlines_of(case, KindCode.BOSS_MAXIMUM_INVOLVEMENT).get()

"""Every workflow has a way out: a referral closes with its last case, a referral sent back for
more information goes back with the answer, acceptance follows the checklist, the allocation
clock is met by allocation, an agreed action is marked done, a plan ends once. And history
names the person who pressed the button, however many services their action runs through."""

import datetime

import pghistory.models
import pytest
import time_machine
from django.urls import reverse

from cases import services
from cases.models import CaseStatus
from config.errors import DomainError
from deadlines import services as deadline_services
from deadlines.codes import KindCode
from deadlines.models import DeadlineStatus
from deadlines.selectors import deadlines_of, live_deadline
from referrals import services as referral_services
from referrals.models import Status
from tests.cases.factories import ServiceSettingsFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import checklist_ticked
from tests.referrals.test_rules import boss_referral

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def allocate(senco, types, school, screener, boss_manager, caseworker):
    """``allocate(pupil)``: a BOSS referral sent, accepted and allocated: its case."""

    def make(pupil):
        referral = boss_referral(senco, pupil, types, school)
        referral_services.submit_referral(senco, referral)
        referral_services.accept_referral(screener, referral, checklist=checklist_ticked(referral))
        return services.allocate_referral(boss_manager, referral, caseworker=caseworker)

    return make


def close(caseworker, case):
    return services.close_case(caseworker, case, reason="risk_reduced", risk_continues=False)


def test_the_referral_closes_with_its_last_case_and_the_school_can_refer_again(
    allocate, caseworker, pupil, senco, types, school
):
    """Seed 000: BOSS withdraws; once it has, the school may refer the pupil again."""
    case = allocate(pupil)
    close(caseworker, case)
    case.referral.refresh_from_db()
    assert case.referral.status == Status.CLOSED
    assert list(case.referral.activities.values_list("kind", flat=True))[-1] == "closed"
    again = referral_services.start_referral(
        senco, pupil=pupil, referral_type=types["boss"], school=school
    )
    assert again.status == Status.DRAFT


def test_a_reopened_case_opens_its_referral_again_unless_the_pupil_was_referred_meanwhile(
    allocate, caseworker, pupil, senco, types, school
):
    """Seed 004: "Cases can be reopened, keeping earlier records"."""
    first = allocate(pupil)
    close(caseworker, first)
    episode = services.reopen_case(caseworker, first, reason="New incidents")
    first.referral.refresh_from_db()
    assert (first.referral.status, episode.status) == (Status.ALLOCATED, CaseStatus.OPEN)
    close(caseworker, episode)

    referral_services.submit_referral(senco, boss_referral(senco, pupil, types, school))
    with pytest.raises(DomainError, match="already has an open referral to BOSS"):
        services.reopen_case(caseworker, episode, reason="Again")
    first.referral.refresh_from_db()
    assert first.referral.status == Status.CLOSED


def test_boss_support_on_reintegration_for_a_pupil_boss_knew_before(
    allocate, caseworker, pupil, school, orgs
):
    """Seed 000: a pupil reintegrating after a permanent exclusion "will automatically have
    BOSS support" — also when BOSS worked with them before."""
    close(caseworker, allocate(pupil))
    referral = referral_services.create_reintegration_referral(None, pupil=pupil, school=school)
    assert (referral.service, referral.status) == (orgs["boss"], Status.ACCEPTED)


def test_only_the_last_open_episode_closes_the_referral(allocate, caseworker, pupil):
    """Seed 004: "Cases can be reopened, keeping earlier records": the referral closes only with its
    last open episode."""
    case = allocate(pupil)
    close(caseworker, case)
    episode = services.reopen_case(caseworker, case, reason="New incidents")
    case.referral.refresh_from_db()
    assert case.referral.status == Status.ALLOCATED
    close(caseworker, episode)
    case.referral.refresh_from_db()
    assert case.referral.status == Status.CLOSED


def test_check_your_answers_after_a_question_says_to_answer_it_and_the_answer_sends_it_back(
    client_for, senco, screener, pupil, types, school
):
    """Seed 000: the PRT screens the referral and may ask the school for more; the school answers
    and the referral goes back to the gateway."""
    referral = boss_referral(senco, pupil, types, school)
    referral_services.submit_referral(senco, referral)
    referral_services.request_more_information(screener, referral, question="Attach the review")
    school = client_for(senco)
    check = reverse("referrals:check", args=[referral.pk])

    page = school.get(check).content.decode()
    assert "Attach the review" in page
    assert reverse("referrals:answer", args=[referral.pk]) in page
    assert "Accept and send" not in page

    posted = school.post(check)  # a form kept open from before the question
    assert posted.status_code == 400
    assert "The gateway has asked a question: answer it to send the referral back." in (
        posted.content.decode()
    )
    assert "Referral sent" not in posted.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.MORE_INFORMATION

    answered = school.post(
        reverse("referrals:answer", args=[referral.pk]), {"answer": "Attached, 1 March"}
    )
    assert answered.status_code == 302
    queue = client_for(screener).get(reverse("referrals:queue")).content.decode()
    assert referral.reference in queue


def test_a_second_press_of_accept_and_send_is_told_it_has_gone(client_for, senco, pupil, types):
    """Two people pressing the same button: the second is told the referral has gone, and nothing
    happens twice."""
    referral = boss_referral(senco, pupil, types, pupil.enrolments.get().school)
    school = client_for(senco)
    check = reverse("referrals:check", args=[referral.pk])
    assert school.post(check).status_code == 302
    referral.refresh_from_db()
    second = school.post(check, follow=True)
    assert second.redirect_chain[-1][0] == reverse("referrals:detail", args=[referral.pk])
    assert f"{referral.reference} has already been sent." in second.content.decode()
    assert referral.activities.filter(kind="submitted").count() == 1


def test_accepting_needs_every_checklist_item_ticked_or_a_reason(
    client_for, senco, screener, pupil, types, school
):
    """Seed 000: the PRT screens every BOSS referral for completeness."""
    referral = boss_referral(senco, pupil, types, school)
    referral_services.submit_referral(senco, referral)
    gateway = client_for(screener)
    screen = reverse("referrals:screen", args=[referral.pk])
    ticked = {"decision": "accept", "service": referral.service_id, "check_reason": "on",
              "check_psp": "on"}  # fmt: skip

    refused = gateway.post(screen, ticked)
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert set(errors) == {"why_consent", "why_ladder"}
    assert errors["why_consent"] == [
        "Tick \u201cParental consent is recorded\u201d, or say why you accept the referral "
        "without it"
    ]
    referral.refresh_from_db()
    assert referral.status == Status.SUBMITTED

    accepted = gateway.post(
        screen,
        {**ticked, "check_consent": "on", "why_ladder": "Crisis: two suspensions this term"},
    )
    assert accepted.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    assert referral.checklist["ladder"] == "Crisis: two suspensions this term"
    assert referral.checklist["consent"] is True

    with pytest.raises(DomainError, match="Tick \u201cThe reason for referral is clear\u201d"):
        other = boss_referral(senco, pupil_at(school), types, school)
        referral_services.submit_referral(senco, other)
        referral_services.accept_referral(screener, other, checklist={"consent": True})


def test_the_allocation_clock_is_met_by_allocation_not_by_acceptance(
    allocate, senco, screener, types, school, pupil
):
    """Seed 001: "allocated within 2 weeks": the manager is reminded until a caseworker is
    allocated; allocating one referral meets its own clock only."""
    waiting = boss_referral(senco, pupil_at(school), types, school)
    referral_services.submit_referral(senco, waiting)
    referral = boss_referral(senco, pupil, types, school)
    referral_services.submit_referral(senco, referral)
    referral_services.accept_referral(screener, referral, checklist=checklist_ticked(referral))
    assert live_deadline(referral, "allocation").status == DeadlineStatus.OPEN

    case = allocate(pupil_at(school))
    assert live_deadline(referral, "allocation").status == DeadlineStatus.OPEN
    assert live_deadline(waiting, "allocation").status == DeadlineStatus.OPEN
    met = deadlines_of(case.referral, KindCode.ALLOCATION).get()
    assert (met.status, met.met_on) == (DeadlineStatus.MET, D(2026, 3, 2))


def test_an_agreed_action_is_marked_done_with_its_date(allocate, caseworker, pupil, client_for):
    """Form B/ex4: each agreed action has an owner and a date, and is done or not."""
    case = allocate(pupil)
    action = services.agree_action(
        caseworker, case, description="Phone the parent", owner=caseworker,
        due_date=D(2026, 3, 4),
    )  # fmt: skip
    page = client_for(caseworker)
    detail = page.get(reverse("deadlines:detail", args=[action.pk])).content.decode()
    assert reverse("deadlines:done", args=[action.pk]) in detail
    done = reverse("deadlines:done", args=[action.pk])

    def post(day, month, year):
        return page.post(
            done, {"done_on_0": str(day), "done_on_1": str(month), "done_on_2": str(year)}
        )

    future = post(3, 3, 2026)
    assert future.status_code == 400
    assert "The date it was done must be today or in the past" in future.content.decode()
    before = post(27, 2, 2026)
    assert "must be on or after 2 March 2026, when the action was agreed" in (
        before.content.decode()
    )
    with time_machine.travel(datetime.datetime(2026, 3, 6, 10), tick=False):
        page = client_for(caseworker)  # signed in again: four days on, the session has ended
        assert post(5, 3, 2026).status_code == 302
        shown = page.get(reverse("deadlines:detail", args=[action.pk])).content.decode()
    action.refresh_from_db()
    assert (action.status, action.met_on) == (DeadlineStatus.MET, D(2026, 3, 5))
    assert "Met on 5 March 2026 (late)" in shown
    assert page.get(done).status_code == 404  # done once


def test_only_an_agreed_action_is_marked_done_by_hand(allocate, pupil, caseworker, orgs):
    """Seed 004 (form B/ex4): an agreed action is marked done by its owner; a statutory or
    allocation deadline is met only by doing what it asks."""
    ServiceSettingsFactory(service=orgs["boss"], maximum_involvement_weeks=22)
    case = allocate(pupil)
    limit = live_deadline(case, "boss-maximum-involvement")
    with pytest.raises(DomainError, match="Only an agreed action is marked done"):
        deadline_services.complete_action(caseworker, limit, done_on=D(2026, 3, 2))


def test_a_plan_ends_once(senco, pupil, school):
    """Plans move by their own transition table, as referrals and cases do."""
    from plans import services as plan_services

    timetable = plan_services.notify_part_time_timetable(
        senco, pupil=pupil, school=school, reason="Anxiety on return", hours_per_week=15,
        start_date=D(2026, 3, 2), end_date=D(2026, 3, 27), return_plan="Add a lesson a week",
        next_review_date=D(2026, 3, 13), consent_given_by="Jo Stone",
        consent_given_on=D(2026, 2, 27),
    )  # fmt: skip
    plan_services.end_timetable(senco, timetable, full_time_from=D(2026, 3, 2))
    with pytest.raises(DomainError, match=r"^This part-time timetable has ended\.$"):
        plan_services.end_timetable(senco, timetable, full_time_from=D(2026, 3, 2))
    with pytest.raises(DomainError, match="This part-time timetable has ended: write a new one"):
        plan_services.review_timetable(
            senco, timetable, date=D(2026, 3, 2), notes="Going well",
            next_review_date=D(2026, 3, 20),
        )  # fmt: skip


def history_of(record, label="update"):
    events = pghistory.models.Events.objects.tracks(record).filter(pgh_label=label)
    return events.order_by("-pgh_id").first().pgh_context


def test_history_names_the_outermost_service_and_its_actor(senco, pupil, types, school):
    """``submit_referral`` calls ``create_deadline(None, …)``: the referral's change is still
    recorded as the SENCO's submission, and so is the deadline it opened."""
    referral = boss_referral(senco, pupil, types, school)
    referral_services.submit_referral(senco, referral)
    context = history_of(referral)
    assert (context["user"], context["action"]) == (senco.pk, "submit_referral")
    clock = live_deadline(referral, "allocation")
    assert history_of(clock, "insert")["action"] == "submit_referral"


def test_two_services_in_one_request_each_keep_their_own_history(
    senco, screener, pupil, types, school
):
    """A request opens one history context (the middleware's); each service in it records
    its own actor and action, not the last one's."""
    referral = boss_referral(senco, pupil, types, school)
    with pghistory.context(url="/a-page/"):
        referral_services.submit_referral(senco, referral)
        referral_services.request_more_information(screener, referral, question="Why now?")
    events = pghistory.models.Events.objects.tracks(referral).filter(pgh_label="update")
    contexts = [e.pgh_context for e in events.order_by("pgh_id")]
    submitted = next(c for c in contexts if c["action"] == "submit_referral")
    asked = next(c for c in contexts if c["action"] == "request_more_information")
    assert (submitted["user"], asked["user"]) == (senco.pk, screener.pk)
    assert submitted["url"] == asked["url"] == "/a-page/"

"""Two people pressing the same button at once is normal in a shared service: one effect, and a
message in words for the other, never a second effect or a 500. Each racer holds its own copy
of the record, loaded before either pressed, as two open browser tabs do; real threads commit
real transactions."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from cases import services as case_services
from cases.models import Case, Review, ReviewDecision
from deadlines.codes import KindCode
from deadlines.models import Notification
from deadlines.selectors import deadlines_of
from pupils.models import Relationship
from referrals import services
from referrals.models import Referral, Status
from tests.conftest import sign_in_with_two_factor
from tests.integrity.race import one_winner, race
from tests.pupils.factories import PupilContactFactory
from tests.referrals.factories import checklist_ticked
from tests.referrals.test_rules import boss_referral

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("deadline_kinds")]


def copies(record, n=2):
    return [type(record).objects.get(pk=record.pk) for _ in range(n)]


def next_reference_number() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM referrals_reference_seq")
        return cursor.fetchone()[0]


@pytest.fixture
def draft(senco, pupil, types, school):
    return boss_referral(senco, pupil, types, school)


@pytest.fixture
def submitted(draft, senco):
    return services.submit_referral(senco, draft)


def test_accept_and_send_pressed_twice_sends_once(draft, senco):
    before = next_reference_number()
    first, second = copies(draft)
    winner = one_winner(
        race(
            lambda: services.submit_referral(senco, first),
            lambda: services.submit_referral(senco, second),
        ),
        loser_says="This referral has already been sent.",
    )
    assert winner.value.status == Status.SUBMITTED
    assert draft.activities.filter(kind="submitted").count() == 1
    assert deadlines_of(draft, KindCode.ALLOCATION).count() == 1
    assert next_reference_number() == before + 1  # no reference number burnt


def test_accept_and_decline_at_once_decide_once_and_tell_the_school_once(
    submitted, screener, member, orgs, senco
):
    colleague = member(Role.GATEWAY_SCREENER, organisation=orgs["prt"])
    mine, theirs = copies(submitted)
    one_winner(
        race(
            lambda: services.accept_referral(screener, mine, checklist=checklist_ticked(mine)),
            lambda: services.decline_referral(colleague, theirs, reason="Needs a PSP first"),
        ),
        loser_says="This referral has already been",
    )
    submitted.refresh_from_db()
    assert submitted.status in {Status.ACCEPTED, Status.DECLINED}
    decided = submitted.activities.filter(kind__in=["accepted", "declined"])
    assert decided.count() == 1
    told = Notification.objects.filter(recipient=senco, subject__startswith=submitted.reference)
    assert told.count() == 1


def test_a_referral_accepted_a_moment_ago_is_not_declined_by_a_second_screener(
    submitted, screener, member, orgs
):
    colleague = member(Role.GATEWAY_SCREENER, organisation=orgs["prt"])
    stale = Referral.objects.get(pk=submitted.pk)
    services.accept_referral(screener, submitted, checklist=checklist_ticked(submitted))
    from config.errors import DomainError

    with pytest.raises(
        DomainError, match="This referral has already been accepted: it cannot be declined now"
    ):
        services.decline_referral(colleague, stale, reason="Needs a PSP first")


def allocate_page(manager, referral, caseworker):
    client = sign_in_with_two_factor(Client(), manager)

    def press():
        return client.post(
            reverse("cases:allocate", args=[referral.pk]), {"caseworker": caseworker.pk}
        )

    return press


def test_two_managers_allocating_one_referral_open_one_case_and_tell_the_other(
    submitted, screener, boss_manager, member, orgs
):
    services.accept_referral(screener, submitted, checklist=checklist_ticked(submitted))
    other_manager = member(Role.SERVICE_MANAGER, organisation=orgs["boss"])
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    colleague = member(Role.CASEWORKER, organisation=orgs["boss"])
    presses = [
        allocate_page(boss_manager, submitted, caseworker),
        allocate_page(other_manager, submitted, colleague),
    ]
    responses = [outcome.value for outcome in race(*presses)]
    assert sorted(r.status_code for r in responses) == [302, 400]
    refused = next(r for r in responses if r.status_code == 400).content.decode()
    assert "This referral has already been allocated" in refused
    assert Case.objects.filter(referral=submitted).count() == 1
    # Pressed again after the first has landed: told so on the list, not a 404.
    late = allocate_page(other_manager, submitted, colleague)()
    assert late.status_code == 302
    assert late.url == reverse("referrals:awaiting")


@pytest.fixture
def case(submitted, screener, boss_manager, member, orgs, pupil):
    services.accept_referral(screener, submitted, checklist=checklist_ticked(submitted))
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    PupilContactFactory(
        pupil=pupil, relationship=Relationship.PARENT_CARER, email="parent@example.org"
    )
    return case_services.allocate_referral(boss_manager, submitted, caseworker=caseworker)


def test_closing_a_case_twice_closes_it_once_and_asks_for_one_evaluation(case):
    mine, theirs = copies(case)
    one_winner(
        race(
            lambda: case_services.close_case(
                case.caseworker, mine, reason="risk_reduced", risk_continues=False
            ),
            lambda: case_services.close_case(
                case.caseworker, theirs, reason="school_can_deliver", risk_continues=False
            ),
        ),
        loser_says="This case has already been closed.",
    )
    assert case.activities.filter(kind="closed").count() == 1
    assert Notification.objects.filter(to_email="parent@example.org").count() == 1


def test_a_review_decided_twice_at_once_is_decided_once(case):
    import datetime

    review = Review.objects.create(case=case, quarter_start=datetime.date(2026, 1, 1))
    mine, theirs = copies(review)
    one_winner(
        race(
            lambda: case_services_decide(case.caseworker, mine, "continue"),
            lambda: case_services_decide(case.caseworker, theirs, "continue"),
        ),
        loser_says="This review has already been decided.",
    )
    review.refresh_from_db()
    assert review.decision == ReviewDecision.CONTINUE
    assert case.activities.filter(kind="reviewed").count() == 1


def case_services_decide(actor, review, decision):
    from cases.reviews import decide_review

    return decide_review(actor, review, decision=decision, reason="Progress is good")


def test_the_loser_of_a_race_sees_the_winners_record_not_its_own_stale_copy(submitted, screener):
    """After the lock, the service works on the committed row: a stale copy's old status is
    never written back over the winner's."""
    stale = Referral.objects.get(pk=submitted.pk)
    services.request_more_information(screener, submitted, question="Which interventions?")
    services.save_answers(None, stale, reason="Updated reason")  # allowed: more information
    submitted.refresh_from_db()
    assert (submitted.status, submitted.reason) == (Status.MORE_INFORMATION, "Updated reason")


def test_two_identical_api_referrals_at_once_make_one_referral_and_a_400(
    senco, pupil, types, school, member
):
    """A school's system that retries a POST it thinks was lost: one referral, and the
    other told in words (the one-open-referral rule, even when the check races)."""
    from accounts import services as account_services

    _, key = account_services.issue_api_token(
        senco, senco, verified=True, name="Oak MIS", read_only=False
    )
    body = {
        "pupil": pupil.pk, "referral_type": "bass-individual", "reason": "Disruption",
        "consent_given_by": "Jo Stone (mother)", "consent_given_on": "2026-02-27",
        "consent_method": "phone",
    }  # fmt: skip

    def post():
        return Client().post(
            reverse("api:referral-list"), body, content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {key}",
        )  # fmt: skip

    responses = [outcome.value for outcome in race(post, post)]
    assert sorted(r.status_code for r in responses) == [201, 409]
    refused = next(r for r in responses if r.status_code == 409).json()["errors"][0]
    assert "already has an open referral" in refused["message"]
    assert Referral.objects.filter(pupil=pupil).count() == 1


def test_two_exclusion_notices_with_one_idempotency_key_at_once_make_one_and_replay_it(
    senco, pupil, school
):
    """A retry that overtakes the first try (no rule like one-open-referral stands in the
    way of a second suspension): the second waits for the first and gets its answer back."""
    from accounts import services as account_services
    from exclusions.models import Exclusion

    _, key = account_services.issue_api_token(
        senco, senco, verified=True, name="Oak MIS", read_only=False
    )
    body = {
        "upn": pupil.upn, "kind": "suspension", "start_date": "2026-03-02", "sessions": 2,
        "reasons": ["DB"], "description": "Disruption", "parents_told_on": "2026-03-02",
        "parents_told_how": "Phone",
    }  # fmt: skip

    def post():
        return Client().post(
            reverse("api:exclusion-list"), body, content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {key}", HTTP_IDEMPOTENCY_KEY="7f1c-once",
        )  # fmt: skip

    responses = [outcome.value for outcome in race(post, post)]
    assert [r.status_code for r in responses] == [201, 201], [r.content for r in responses]
    assert {r.json()["id"] for r in responses} == {Exclusion.objects.get(pupil=pupil).pk}
    assert sorted(r.headers.get("Idempotent-Replayed", "") for r in responses) == ["", "true"]

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from cases import reviews
from cases.models import Review
from config.errors import DomainError
from deadlines.codes import KindCode
from deadlines.models import Deadline, Notification
from deadlines.selectors import deadlines_of
from referrals import services as referral_services
from tests.cases.factories import CaseOpenFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import (
    ReferralAllocatedFactory,
    ReferralSubmittedFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def open_case(types, school, caseworker):
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    return CaseOpenFactory(referral=referral, caseworker=caseworker, opened_on=D(2026, 1, 12))


def test_quarters_start_on_the_first_of_april_july_october_and_january():
    """Seed 001 reports by quarter from April: the quarterly review's quarters start on 1 April, 1
    July, 1 October and 1 January."""
    assert reviews.quarter_start(D(2026, 3, 31)) == D(2026, 1, 1)
    assert reviews.quarter_start(D(2026, 4, 1)) == D(2026, 4, 1)
    assert reviews.quarter_start(D(2026, 11, 23)) == D(2026, 10, 1)


def test_the_review_sweep_run_twice_in_a_quarter_makes_one_review_per_case(
    open_case, types, school
):
    """Every open case is reviewed once a quarter, however often the sweep runs."""
    waiting = ReferralSubmittedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    ReferralSubmittedFactory.create(referral_type=types["bass"], pupil=pupil_at(school),
                                    school=school)  # fmt: skip
    assert reviews.sweep_reviews(today=D(2026, 4, 1)) == 3
    assert reviews.sweep_reviews(today=D(2026, 4, 9)) == 0
    assert Review.objects.filter(case=open_case).count() == 1
    assert Review.objects.filter(referral=waiting).count() == 1
    assert reviews.sweep_reviews(today=D(2026, 7, 1)) == 3  # a new quarter
    assert Deadline.objects.filter(kind__code=KindCode.QUARTERLY_REVIEW).count() == 6


def test_each_review_gets_its_deadline_owned_by_whoever_must_decide_it(
    open_case, caseworker, types, school, orgs
):
    """A quarterly review is a deadline for whoever decides it: the case's caseworker, or the
    gateway for a referral still waiting."""
    waiting = ReferralSubmittedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    reviews.sweep_reviews(today=D(2026, 4, 1))
    case_review = Review.objects.get(case=open_case)
    case_deadline = deadlines_of(case_review, KindCode.QUARTERLY_REVIEW).get()
    assert case_deadline.owner_user == caseworker
    assert case_deadline.pupil == open_case.pupil
    assert case_deadline.start_date == D(2026, 4, 1)
    assert case_deadline.next_reminder_on is not None
    referral_review = Review.objects.get(referral=waiting)
    referral_deadline = deadlines_of(referral_review, KindCode.QUARTERLY_REVIEW).get()  # fmt: skip
    assert referral_deadline.owner_organisation == waiting.gateway
    assert referral_deadline.owner_role == Role.GATEWAY_SCREENER


def test_opening_reviews_already_opened_opens_nothing_more(open_case):
    """Two sweeps at once: the second insert meets the unique key and writes no deadline."""
    start = D(2026, 4, 1)
    assert reviews.open_reviews(None, start, "case", [open_case]) == 1
    assert reviews.open_reviews(None, start, "case", [open_case]) == 0
    assert Review.objects.filter(case=open_case).count() == 1
    assert Deadline.objects.filter(kind__code=KindCode.QUARTERLY_REVIEW).count() == 1


def test_the_sweep_costs_the_same_queries_for_three_cases_as_for_one(types, school, caseworker):
    """The quarterly review sweep reads every case at once: three cases cost the same queries as
    one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def open_cases(count):
        for _ in range(count):
            referral = ReferralAllocatedFactory(
                referral_type=types["boss"], pupil=pupil_at(school), school=school
            )
            CaseOpenFactory(referral=referral, caseworker=caseworker, opened_on=D(2026, 1, 12))

    open_cases(1)
    with CaptureQueriesContext(connection) as one:
        assert reviews.sweep_reviews(today=D(2026, 4, 1)) == 1
    open_cases(3)
    with CaptureQueriesContext(connection) as three:
        assert reviews.sweep_reviews(today=D(2026, 4, 2)) == 3
    assert len(three) == len(one)


def test_a_case_opened_during_the_quarter_waits_for_the_next(types, school, caseworker):
    """A case opened during a quarter is first reviewed in the next one."""
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    CaseOpenFactory(referral=referral, caseworker=caseworker, opened_on=D(2026, 4, 2))
    assert reviews.sweep_reviews(today=D(2026, 4, 9)) == 0


def test_reviews_two_weeks_overdue_go_to_the_manager(open_case, boss_manager):
    """A review two weeks past its date goes to the service's manager."""
    reviews.sweep_reviews(today=D(2026, 4, 1))
    reviews.sweep_reviews(today=D(2026, 4, 28))
    assert not Notification.objects.filter(recipient=boss_manager).exists()
    reviews.sweep_reviews(today=D(2026, 4, 29))
    reviews.sweep_reviews(today=D(2026, 4, 30))
    assert Notification.objects.filter(recipient=boss_manager).count() == 1


def test_continuing_needs_a_reason_and_meets_the_review_deadline(open_case, caseworker):
    """Continuing a case at review needs the reason in words, and meets the review's deadline."""
    reviews.sweep_reviews(today=D(2026, 4, 1))
    review = Review.objects.get(case=open_case)
    with pytest.raises(DomainError, match="Enter why the work continues"):
        reviews.decide_review(caseworker, review, decision="continue", reason="")
    reviews.decide_review(caseworker, review, decision="continue", reason="Risk still high")
    assert deadlines_of(review, KindCode.QUARTERLY_REVIEW).get().status == "met"
    assert open_case.activities.filter(kind="reviewed").exists()


def test_closing_at_review_goes_on_to_the_closure_form(client_for, open_case, caseworker):
    """Seed 004: a case is closed with form B/ex5, so closing at review goes on to the closure
    form."""
    reviews.sweep_reviews(today=D(2026, 4, 1))
    review = Review.objects.get(case=open_case)
    response = client_for(caseworker).post(
        reverse("cases:review", args=[review.pk]), {"decision": "close"}
    )
    assert response.url == reverse("cases:close", args=[open_case.pk])


def test_a_gateway_closes_a_waiting_referral_at_review(types, school, screener, senco):
    """A referral still waiting at its review can be closed by the gateway, with its reason."""
    from tests.referrals.test_rules import boss_referral

    referral = boss_referral(senco, pupil_at(school), types, school)
    referral_services.submit_referral(senco, referral)
    reviews.sweep_reviews(today=D(2026, 4, 1))
    review = Review.objects.get(referral=referral)
    reviews.decide_review(screener, review, decision="close", reason="No reply from school")
    referral.refresh_from_db()
    assert referral.status == "declined"
    assert "Closed at the quarterly review" in referral.decision_reason


def test_many_overdue_reviews_reach_each_manager_as_one_message(
    open_case, types, school, caseworker, boss_manager
):
    """A quarter's worth of late reviews is one message a manager can act on, not hundreds."""
    second = CaseOpenFactory(
        referral=ReferralAllocatedFactory(
            referral_type=types["boss"], pupil=pupil_at(school, legal_last_name="Okonkwo"),
            school=school),
        caseworker=caseworker, opened_on=D(2026, 2, 2),
    )  # fmt: skip
    reviews.sweep_reviews(today=D(2026, 4, 1))
    reviews.sweep_reviews(today=D(2026, 4, 29))
    message = Notification.objects.get(recipient=boss_manager)
    assert message.subject == f"2 quarterly reviews overdue at {open_case.service.name}"
    assert str(open_case.pupil) in message.body
    assert str(second.pupil) in message.body
    assert Review.objects.filter(escalated_at__isnull=False).count() == 2
    reviews.sweep_reviews(today=D(2026, 4, 30))
    assert Notification.objects.filter(recipient=boss_manager).count() == 1


def test_overdue_reviews_of_a_service_with_no_manager_go_to_the_la_administrators(
    open_case, member, authority, client_for
):
    """Seed 004: overdue reviews are escalated. With no manager in the service, its
    authority's LA administrators are told it needs one (without the pupils' names)."""
    admin = member(Role.LA_ADMINISTRATOR, organisation=authority)
    reviews.sweep_reviews(today=D(2026, 4, 1))
    assert reviews.sweep_reviews(today=D(2026, 4, 29)) == 0  # no new review opened
    message = Notification.objects.get(recipient=admin)
    assert message.subject == (
        f"{open_case.service.name} has no service manager to review 1 overdue quarterly review"
    )
    assert str(open_case.pupil) not in message.body
    assert Review.objects.get(case=open_case).escalated_at is not None


def test_with_nobody_to_tell_overdue_reviews_stay_unescalated_and_are_counted(
    open_case, member, authority, client_for
):
    """A review overdue in a service with no manager to tell stays where it is and is counted for
    the operations page, not lost."""
    reviews.sweep_reviews(today=D(2026, 4, 1))
    assert reviews.escalate_overdue_reviews(None, today=D(2026, 4, 29)) == 0
    review = Review.objects.get(case=open_case)
    assert review.escalated_at is None
    assert not Notification.objects.filter(subject__contains="overdue").exists()
    assert reviews.overdue_with_nobody_to_tell([authority.pk], D(2026, 4, 29)) == 1

    import time_machine

    admin = member(Role.LA_ADMINISTRATOR, organisation=authority)
    with time_machine.travel(datetime.datetime(2026, 4, 29, 9), tick=False):
        page = client_for(admin).get(reverse("deadlines:operations")).content.decode()
    assert "Overdue quarterly reviews with nobody to tell" in page
    # Once the authority has an administrator, the next sweep tells them.
    assert reviews.escalate_overdue_reviews(None, today=D(2026, 4, 29)) == 1
    assert reviews.overdue_with_nobody_to_tell([authority.pk], D(2026, 4, 29)) == 0


def test_only_the_people_working_a_referral_decide_its_review(
    types, school, screener, senco, client_for, member, orgs
):
    """The hole: the SENCO, who can read her school's referral, POSTed a decision on its
    quarterly review and it was recorded as hers. The gateway that screens it decides."""
    from tests.referrals.test_rules import boss_referral

    referral = boss_referral(senco, pupil_at(school), types, school)
    referral_services.submit_referral(senco, referral)
    reviews.sweep_reviews(today=D(2026, 4, 1))
    review = Review.objects.get(referral=referral)
    url = reverse("cases:review", args=[review.pk])

    refused = client_for(senco).post(url, {"decision": "continue", "reason": "Fine"})
    assert refused.status_code == 403
    with pytest.raises(DomainError, match="Only the people working this case or referral"):
        reviews.decide_review(senco, review, decision="continue", reason="Fine")
    boss_caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    with pytest.raises(DomainError, match="Only the people working"):
        reviews.decide_review(boss_caseworker, review, decision="continue", reason="Fine")
    review.refresh_from_db()
    assert review.decision == "pending"

    decided = client_for(screener).post(url, {"decision": "continue", "reason": "Awaiting PSP"})
    assert decided.status_code == 302
    review.refresh_from_db()
    assert (review.decision, review.decided_by) == ("continue", screener)

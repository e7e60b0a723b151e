"""``reconcile_deadlines`` puts back what a fault took away: a live record without the live
deadline it should have gets it back, as it was counted, with the reason in its history; a
record that has ended, or a deadline a person waived, is left as it is."""

import datetime
from io import StringIO

import pghistory.models
import pytest
from django.core.management import call_command

from accounts.models import Role
from cases import services as case_services
from deadlines import services
from deadlines.codes import KindCode
from deadlines.models import Deadline, DeadlineStatus
from deadlines.selectors import deadlines_of, live_for
from referrals import services as referral_services
from tests.cases.factories import ServiceSettingsFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import checklist_ticked
from tests.referrals.test_rules import boss_referral

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(senco, types, school, screener, boss_manager, orgs, member):
    """A submitted referral, an accepted one, an open case with an agreed action, and a
    closed case: each with the deadlines the services gave it."""
    ServiceSettingsFactory(service=orgs["boss"], maximum_involvement_weeks=22)
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])

    def sent(name):
        referral = boss_referral(senco, pupil_at(school, legal_first_name=name), types, school)
        return referral_services.submit_referral(senco, referral)

    def allocated(name):
        referral = sent(name)
        referral_services.accept_referral(screener, referral, checklist=checklist_ticked(referral))
        return case_services.allocate_referral(boss_manager, referral, caseworker=caseworker)

    waiting = sent("Ada")
    accepted = sent("Ben")
    referral_services.accept_referral(screener, accepted, checklist=checklist_ticked(accepted))
    case = allocated("Cal")
    action = case_services.agree_action(
        caseworker, case, description="Observe in class", owner=caseworker, due_date=D(2026, 3, 20)
    )
    closed = allocated("Dee")
    case_services.close_case(caseworker, closed, reason="risk_reduced", risk_continues=False)
    return {
        "waiting": waiting, "accepted": accepted, "case": case, "action": action,
        "closed": closed, "caseworker": caseworker,
    }  # fmt: skip


def live_kinds(subject):
    from deadlines.selectors import live_for

    return sorted(live_for(subject).values_list("kind__code", "due_date"))


def test_what_a_fault_cancelled_is_put_back_as_it_was_counted(world):
    before = {name: live_kinds(world[name]) for name in ("waiting", "accepted", "case")}
    assert before["waiting"] and before["accepted"] and len(before["case"]) == 2
    closed_before = set(deadlines_of(world["closed"]).values_list("pk", "status"))
    # The fault of November 2026: one case closed, every live deadline cancelled.
    Deadline.objects.live().update(status=DeadlineStatus.CANCELLED, reason="Case closed")

    repairs = services.reconcile_deadlines()

    assert len(repairs) == 4
    for name, kinds in before.items():
        assert live_kinds(world[name]) == kinds, name
    put_back = Deadline.objects.get(recreated_from=world["action"])
    assert put_back.title == world["action"].title
    assert put_back.owner_user == world["caseworker"]
    assert put_back.reason.startswith("Recreated by reconcile_deadlines on 2 March 2026")
    assert "the case is still open, but its deadline was cancelled (\u201cCase closed\u201d)" in (
        put_back.reason
    )
    event = pghistory.models.Events.objects.tracks(put_back).get(pgh_label="insert")
    assert event.pgh_context["action"] == "_put_back"
    assert event.pgh_context["reconciled"] == put_back.reason
    # The closed case's own deadlines stay as its closing left them.
    assert set(deadlines_of(world["closed"]).values_list("pk", "status")) >= closed_before
    assert not live_kinds(world["closed"])
    # Done once: a second run finds nothing to put back.
    assert services.reconcile_deadlines() == []


def test_an_allocation_clock_met_in_error_is_put_back_and_a_waived_one_is_not(world, senco):
    waiting_clock = live_for(world["waiting"], KindCode.ALLOCATION).get()
    accepted_clock = live_for(world["accepted"], KindCode.ALLOCATION).get()
    services.satisfy_deadline(None, waiting_clock)  # as allocating another referral once did
    services.waive_deadline(senco, accepted_clock, reason="Agreed with the manager by phone")

    repairs = services.reconcile_deadlines()

    assert [r.subject for r in repairs] == [world["waiting"]]
    assert "the referral is waiting to be allocated, but its deadline was met" in (
        repairs[0].deadline.reason
    )
    assert live_kinds(world["waiting"]) == [("allocation", waiting_clock.due_date)]
    assert live_kinds(world["accepted"]) == []


def test_a_clock_a_record_never_had_is_built_from_the_record(world):
    case = world["case"]
    deadlines_of(case, KindCode.BOSS_MAXIMUM_INVOLVEMENT).delete()

    (repair,) = services.reconcile_deadlines()

    assert repair.subject == case
    assert repair.deadline.kind.code == "boss-maximum-involvement"
    assert repair.deadline.start_date == case.opened_on
    assert "22 school weeks from Monday 2 March 2026" in repair.deadline.counting_note


def test_a_dry_run_lists_and_writes_nothing(world):
    Deadline.objects.live().update(status=DeadlineStatus.CANCELLED, reason="Case closed")
    count = Deadline.objects.count()
    out = StringIO()
    call_command("reconcile_deadlines", "--dry-run", stdout=out)
    assert Deadline.objects.count() == count
    assert out.getvalue().endswith("4 deadlines would be put back.\n")
    assert "Allocate REF-" in out.getvalue()

    out = StringIO()
    call_command("reconcile_deadlines", stdout=out)
    assert Deadline.objects.count() == count + 4
    assert out.getvalue().endswith("4 deadlines put back.\n")


def test_beat_runs_it_daily():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["reconcile-deadlines"]
    assert entry["task"] == "deadlines.tasks.reconcile_deadlines_task"
    assert entry["schedule"] == 24 * 60 * 60

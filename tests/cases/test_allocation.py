import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from cases import services
from cases.models import Case
from config.errors import DomainError
from deadlines.calendar import SchoolCalendar
from deadlines.codes import KindCode
from deadlines.selectors import deadlines_of
from referrals import services as referral_services
from referrals.models import Status
from tests.cases.factories import ServiceSettingsFactory
from tests.referrals.factories import checklist_ticked
from tests.referrals.test_rules import boss_referral

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(senco, pupil, types, school, screener):
    referral = boss_referral(senco, pupil, types, school)
    referral_services.submit_referral(senco, referral)  # Monday 2 March: due 16 March
    return referral_services.accept_referral(
        screener, referral, checklist=checklist_ticked(referral)
    )


def test_allocation_opens_a_case_and_records_the_target_met(
    accepted, boss_manager, caseworker, orgs
):
    """Seed 001: referrals are "allocated within 2 weeks": allocating opens the case and records
    whether the target was met."""
    ServiceSettingsFactory(service=orgs["boss"], maximum_involvement_weeks=22)
    case = services.allocate_referral(boss_manager, accepted, caseworker=caseworker)
    accepted.refresh_from_db()
    assert (accepted.status, accepted.allocation_target_met) == (Status.ALLOCATED, True)
    assert case.caseworker == caseworker and case.opened_on == D(2026, 3, 2)
    allocation = deadlines_of(accepted, KindCode.ALLOCATION).get()
    assert allocation.status == "met"
    limit = deadlines_of(case, KindCode.BOSS_MAXIMUM_INVOLVEMENT).get()
    assert limit.owner_user == caseworker
    assert "22 school weeks" in limit.counting_note


def test_a_22_week_limit_past_the_term_dates_is_allocated_and_provisional(
    accepted, boss_manager, caseworker, orgs
):
    """Allocation is never refused for want of next year's term dates: the limit is counted on
    the typical calendar and marked provisional until the dates are entered."""
    from deadlines.models import Term

    ServiceSettingsFactory(service=orgs["boss"], maximum_involvement_weeks=22)
    Term.objects.filter(academic_year=2026).delete()
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        case = services.allocate_referral(boss_manager, accepted, caseworker=caseworker)
    limit = deadlines_of(case, KindCode.BOSS_MAXIMUM_INVOLVEMENT).get()
    assert limit.provisional and limit.due_date.year == 2026 and limit.due_date.month >= 11


def test_the_caseworker_is_told_of_a_case_allocated_to_them(accepted, boss_manager, caseworker):
    """Seed 004 (allocation of referrals): the caseworker is told of a case allocated to them."""
    from deadlines.models import Notification

    case = services.allocate_referral(boss_manager, accepted, caseworker=caseworker)
    told = Notification.objects.get(recipient=caseworker, subject__startswith="Case allocated")
    assert told.url == case.get_absolute_url()
    assert accepted.reference in told.body
    assert not Notification.objects.filter(
        recipient=boss_manager, subject__startswith="Case allocated"
    ).exists()


def test_late_allocation_records_the_target_missed(accepted, boss_manager, caseworker):
    """Seed 001: an allocation after the 2 weeks is recorded as missing the target, for the
    quarterly figures."""
    with time_machine.travel(datetime.datetime(2026, 3, 17, 10), tick=False):
        services.allocate_referral(boss_manager, accepted, caseworker=caseworker)
    accepted.refresh_from_db()
    assert accepted.allocation_target_met is False


def test_the_behaviour_officer_must_contact_the_parent_on_the_day(
    senco, school, types, orgs, member
):
    """Seed 004: "The Behaviour Officer will endeavour to contact the parent/carer on the day of
    allocation": a deadline on the day."""
    from tests.pupils.factories import pupil_at
    from tests.referrals.test_rules import ready

    ServiceSettingsFactory(
        service=orgs["behaviour-officer"], contact_parent_on_allocation=True, confidential=True
    )
    referral = referral_services.start_referral(
        senco, pupil=pupil_at(school), referral_type=types["bex2"], school=school
    )
    referral_services.submit_referral(senco, ready(referral))
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["behaviour-officer"])
    officer = member(Role.CASEWORKER, organisation=orgs["behaviour-officer"])
    referral_services.accept_referral(manager, referral, checklist=checklist_ticked(referral))
    case = services.allocate_referral(manager, referral, caseworker=officer)
    contact = deadlines_of(case, KindCode.PARENT_CONTACT).get()
    assert contact.due_date == D(2026, 3, 2)
    services.record_contact(
        officer,
        case,
        date=D(2026, 3, 2),
        kind="phone",
        participants="Mother",
        with_parent=True,
        duration_minutes=20,
        notes="Explained the appeal process and the timescales.",
    )
    contact.refresh_from_db()
    assert contact.status == "met"


def test_only_a_manager_allocates_to_a_caseworker_of_the_service(
    accepted, boss_manager, caseworker, member, orgs
):
    """Only the receiving service's manager allocates, and only to one of the service's
    caseworkers."""
    with pytest.raises(DomainError, match="Only a manager of the receiving service"):
        services.allocate_referral(caseworker, accepted, caseworker=caseworker)
    outsider = member(Role.CASEWORKER, organisation=orgs["bass"])
    with pytest.raises(DomainError, match="is not a caseworker of BOSS"):
        services.allocate_referral(boss_manager, accepted, caseworker=outsider)
    assert not Case.objects.exists()


def test_weeks_used_skip_the_half_term(school):
    """Seed 000's 22 weeks of involvement are counted in school weeks where the service says so: a
    half term does not use a week."""
    case = Case(opened_on=D(2026, 2, 2), school=school)
    calendar = SchoolCalendar(school)
    # 2 February to 2 March: weeks of 9, 23 February and 2 March; 16 February is half term.
    assert services.weeks_used(case, D(2026, 3, 2), calendar) == 3
    assert services.weeks_used(case, D(2026, 3, 2), calendar, counts_school_weeks=False) == 4


def test_allocating_from_the_page(client_for, accepted, boss_manager, caseworker):
    """The manager allocates from the referral's page, the caseworkers listed with their open
    cases."""
    client = client_for(boss_manager)
    empty = client.post(reverse("cases:allocate", args=[accepted.pk]), {})
    assert "Select the caseworker to allocate the referral to" in empty.content.decode()
    response = client.post(
        reverse("cases:allocate", args=[accepted.pk]), {"caseworker": caseworker.pk}
    )
    assert response.status_code == 302
    assert Case.objects.get().caseworker == caseworker

"""The caseworker's, the virtual school's and the exclusions officer's home pages: their work,
with counts that link to the records behind them."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from cases import services
from pupils.models import CareStatus
from tests.cases.factories import CaseOpenFactory, ContactFactory, ServiceSettingsFactory
from tests.exclusions.factories import SuspensionFactory
from tests.plans.factories import PepMeetingFactory, TimetableActiveFactory
from tests.pupils.factories import SchoolFactory, pupil_at
from tests.referrals.factories import ReferralAcceptedFactory, ReferralAllocatedFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def open_case(types, school, caseworker, pupil=None):
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil or pupil_at(school), school=school
    )
    return CaseOpenFactory(referral=referral, caseworker=caseworker)


def test_the_caseworker_lands_on_their_caseload_with_weeks_used_and_contacts(
    client_for, caseworker, orgs, types, school, member
):
    """Opened on Monday 12 January 2026; on Monday 2 March it has used 6 of BOSS's 22 school
    weeks (the February half term does not count)."""
    ServiceSettingsFactory(service=orgs["boss"], maximum_involvement_weeks=22, minimum_contacts=10)
    mine = open_case(types, school, caseworker)
    ContactFactory(case=mine, recorded_by=caseworker)
    open_case(types, school, member(Role.CASEWORKER, organisation=orgs["boss"]))
    response = client_for(caseworker).get(reverse("accounts:home"))
    assert [case.pk for case in response.context["cases"]] == [mine.pk]
    html = response.content.decode()
    assert "6 of 22" in html
    assert "1 of at least 10" in html


def test_actions_due_this_week_are_listed_with_mark_done_and_nothing_of_anyone_else(
    client_for, caseworker, orgs, types, school, member
):
    """Monday 2 March 2026: this week ends on Sunday 8 March. An action due on Friday 6 March
    and one overdue since 27 February are listed; one due on 9 March is not, nor a
    colleague's."""
    colleague = member(Role.CASEWORKER, organisation=orgs["boss"])
    case = open_case(types, school, caseworker)
    this_week = services.agree_action(
        caseworker, case, description="Call the SENCO", owner=caseworker, due_date=D(2026, 3, 6)
    )
    with time_machine.travel(datetime.datetime(2026, 2, 23, 10, 0), tick=False):
        overdue = services.agree_action(
            caseworker, case, description="Send the plan", owner=caseworker,
            due_date=D(2026, 2, 27),
        )  # fmt: skip
    services.agree_action(
        caseworker, case, description="Visit home", owner=caseworker, due_date=D(2026, 3, 9)
    )
    services.agree_action(
        caseworker, case, description="Colleague's call", owner=colleague, due_date=D(2026, 3, 4)
    )
    response = client_for(caseworker).get(reverse("accounts:home"))
    due = response.context["due"]
    assert [d.pk for d in due["rows"]] == [overdue.pk, this_week.pk]
    assert due["until"] == D(2026, 3, 8)
    assert due["rows"][0].overdue_by == "1 school day overdue"
    html = response.content.decode()
    assert reverse("deadlines:done", args=[this_week.pk]) in html
    assert "Colleague&#x27;s call" not in html


def test_the_manager_counts_the_team_s_deadlines_due_this_week(
    client_for, boss_manager, caseworker, types, school
):
    case = open_case(types, school, caseworker)
    services.agree_action(
        caseworker, case, description="Call the SENCO", owner=caseworker, due_date=D(2026, 3, 6)
    )
    services.agree_action(
        caseworker, case, description="Visit home", owner=caseworker, due_date=D(2026, 3, 20)
    )
    context = client_for(boss_manager).get(reverse("accounts:home")).context
    assert context["team_due"]["count"] == 1
    assert context["team_cases"]["count"] == 1


def test_the_virtual_school_s_counts_open_the_cohort_with_what_it_follows(
    client_for, member, orgs, types, school, caseworker, authority
):
    officer = member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=orgs["virtual-school"])
    child = pupil_at(school, care_status=CareStatus.LOOKED_AFTER, legal_last_name="Ash")
    quiet = pupil_at(school, care_status=CareStatus.LOOKED_AFTER, legal_last_name="Birch")
    pupil_at(school, care_status=CareStatus.PREVIOUSLY_LOOKED_AFTER)
    pupil_at(school)  # not in the cohort
    pupil_at(SchoolFactory(), care_status=CareStatus.LOOKED_AFTER)  # another authority's
    SuspensionFactory(pupil=child, school=school, created_by=officer)
    SuspensionFactory(pupil=child, school=school, start_date=D(2026, 1, 12), created_by=officer)
    TimetableActiveFactory(pupil=child, school=school, created_by=caseworker)
    open_case(types, school, caseworker, pupil=child)
    PepMeetingFactory(pupil=child, school=school, recorded_by=officer, date=D(2025, 10, 6))
    PepMeetingFactory(pupil=child, school=school, recorded_by=officer, date=D(2026, 1, 20))
    client = client_for(officer)
    home = client.get(reverse("accounts:home"))
    assert (home.context["looked_after"], home.context["previously_looked_after"]) == (2, 1)
    url = reverse("pupils:cohort", args=["looked-after"])
    assert url in home.content.decode()

    page = client.get(url)
    rows = {p.pk: p.cohort_values for p in page.context["rows"]}
    assert rows == {child.pk: [2, 1, 1, D(2026, 1, 20)], quiet.pk: [0, 0, 0, None]}
    assert [c.label for c in page.context["columns"]] == [
        "Suspensions and exclusions", "Part-time timetables", "Open cases", "Last PEP meeting",
    ]  # fmt: skip
    assert "Not yet" in page.content.decode()


def test_only_the_virtual_school_has_a_cohort_list(client_for, caseworker):
    url = reverse("pupils:cohort", args=["looked-after"])
    assert client_for(caseworker).get(url).status_code == 404


def test_the_exclusions_officer_sees_what_was_notified_today(client_for, member, school):
    officer = member(Role.EXCLUSIONS_OFFICER)
    today = SuspensionFactory(pupil=pupil_at(school), school=school, created_by=officer)
    earlier = SuspensionFactory(pupil=pupil_at(school), school=school, created_by=officer)
    type(earlier).objects.filter(pk=earlier.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    response = client_for(officer).get(reverse("accounts:home"))
    assert [e.pk for e in response.context["notified_today"]] == [today.pk]
    assert reverse("exclusions:detail", args=[today.pk]) in response.content.decode()


def test_the_allocate_page_gives_each_caseworker_s_open_cases_and_the_referral(
    client_for, boss_manager, caseworker, orgs, types, school, member
):
    colleague = member(Role.CASEWORKER, organisation=orgs["boss"])
    open_case(types, school, caseworker)
    open_case(types, school, caseworker)
    referral = ReferralAcceptedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school,
        reason="Throws chairs when asked to read aloud",
    )  # fmt: skip
    page = client_for(boss_manager).get(reverse("cases:allocate", args=[referral.pk]))
    html = page.content.decode()
    assert escape(f"{caseworker.full_name} (2 open cases)") in html
    assert escape(f"{colleague.full_name} (0 open cases)") in html
    assert "Throws chairs when asked to read aloud" in html

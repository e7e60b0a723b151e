"""Each main page costs the same number of SQL queries with a few records as with several times
as many: no query per row (N+1). The timings at a million pupils are the benchmark's
(`make bench`); these tests keep the shape of each page's queries fixed."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from tests.cases.factories import CaseClosedFactory, CaseOpenFactory, ContactFactory
from tests.exclusions.factories import SuspensionFactory
from tests.plans.factories import PspActiveFactory, TimetableActiveFactory
from tests.pupils.factories import SchoolFactory, pupil_at
from tests.referrals.factories import (
    ReferralAcceptedFactory,
    ReferralAllocatedFactory,
    ReferralClosedFactory,
    ReferralDeclinedFactory,
    ReferralSubmittedFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url) -> Counter:
    """The page's queries, each counted, with the numbers in them (ids, cursor names) blanked."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return Counter(re.sub(r"\d+", "#", query["sql"]) for query in captured.captured_queries)


def assert_same_cost(client, url, grow, times: int = 2) -> None:
    """The page's query count after ``grow()`` has added rows ``times`` over equals its count
    before (a first visit warms the session and the caches, and again after growing)."""
    client.get(url)
    small = queries(client, url)
    for _ in range(times):
        grow()
    client.get(url)  # a school added on the way: who the person is, read again once
    large = queries(client, url)
    grown = [f"{count}x {sql[:300]}" for sql, count in (large - small).most_common(3)]
    assert large.total() == small.total(), (
        f"{url}: {small.total()} then {large.total()} queries; repeated: {grown}"
    )


def open_case(types, school, caseworker):
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    return CaseOpenFactory(referral=referral, caseworker=caseworker)


def test_a_pupil_page(client_for, senco, school, types, orgs, member):
    pupil = pupil_at(school)
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])

    def grow():
        ReferralDeclinedFactory(referral_type=types["bass"], pupil=pupil, school=school)
        SuspensionFactory(pupil=pupil, school=school, created_by=senco)
        PspActiveFactory(pupil=pupil, school=school, created_by=senco)
        TimetableActiveFactory(pupil=pupil, school=school, created_by=senco)
        case = CaseClosedFactory(
            referral=ReferralClosedFactory(referral_type=types["boss"], pupil=pupil, school=school),
            caseworker=caseworker,
        )
        ContactFactory(case=case, recorded_by=caseworker)

    grow()
    assert_same_cost(client_for(senco), reverse("pupils:detail", args=[pupil.pk]), grow, 4)


def test_the_screening_queue(client_for, screener, school, types):
    def grow():
        for _ in range(5):
            ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil_at(school),
                                     school=school)  # fmt: skip

    grow()
    assert_same_cost(client_for(screener), reverse("referrals:queue"), grow)


def test_the_screening_queue_costs_two_queries(client_for, screener, school, types):
    """A page of the queue with its length, and the access log: the filter's schools, services
    and forms come from the cache, and being signed in costs none."""
    for _ in range(3):
        ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil_at(school),
                                 school=school)  # fmt: skip
    client = client_for(screener)
    client.get(reverse("referrals:queue"))  # warms the session, the lists and the calendars
    counted = queries(client, reverse("referrals:queue"))
    assert counted.total() == 2, counted


def test_a_case_page_with_many_contacts(client_for, school, types, orgs, member):
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    case = open_case(types, school, caseworker)

    def grow():
        for _ in range(10):
            ContactFactory(case=case, recorded_by=caseworker)

    grow()
    assert_same_cost(client_for(caseworker), reverse("cases:detail", args=[case.pk]), grow, 4)


def test_a_caseload_and_the_caseworkers_home_page(client_for, types, orgs, member):
    """Each case's pupil, school, calendar, next deadline and last contact come with the list,
    whatever the schools: none is read for one case at a time."""
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])

    def grow():
        for _ in range(3):
            case = open_case(types, SchoolFactory(), caseworker)
            ContactFactory(case=case, recorded_by=caseworker)

    grow()
    client = client_for(caseworker)
    assert_same_cost(client, reverse("cases:mine"), grow)
    assert_same_cost(client, reverse("accounts:home"), grow)


def test_the_exclusions_register(client_for, school, member, authority):
    officer = member(Role.EXCLUSIONS_OFFICER)
    staff = member(Role.SCHOOL_STAFF, organisation=school.organisation)

    def grow():
        for _ in range(3):
            where = SchoolFactory(organisation__local_authority=authority)
            SuspensionFactory(pupil=pupil_at(where), school=where, created_by=staff)
        SuspensionFactory(pupil=pupil_at(school), school=school, created_by=staff)

    grow()
    assert_same_cost(client_for(officer), reverse("exclusions:register"), grow)


def test_the_school_s_referrals_and_plans(client_for, senco, school, types):
    def grow():
        for _ in range(3):
            pupil = pupil_at(school)
            ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil, school=school)
            PspActiveFactory(pupil=pupil, school=school, created_by=senco)
            TimetableActiveFactory(pupil=pupil, school=school, created_by=senco)

    grow()
    client = client_for(senco)
    assert_same_cost(client, reverse("referrals:list"), grow)
    assert_same_cost(client, reverse("plans:list"), grow)


def test_the_quarterly_dashboard(client_for, school, types, orgs, member):
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["boss"])
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])

    def grow():
        for _ in range(3):
            case = open_case(types, school, caseworker)
            ContactFactory(case=case, recorded_by=caseworker)
            where = SchoolFactory(organisation__local_authority=school.organisation.local_authority)
            ReferralAcceptedFactory(referral_type=types["boss"], pupil=pupil_at(where),
                                    school=where)  # fmt: skip

    grow()
    assert_same_cost(client_for(manager), reverse("reporting:services"), grow)


API_LISTS = [
    "api:pupil-list", "api:referral-list", "api:exclusion-list", "api:deadline-list",
    "api:psp-list", "api:timetable-list", "api:case-list",
]  # fmt: skip


def test_every_api_list_costs_the_same_for_a_page_of_few_or_many(
    client_for, senco, school, types, orgs, member
):
    """The school's view of every list: each serializer's related rows come with the page."""
    from deadlines import services as deadline_services

    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])

    def grow():
        for _ in range(3):
            pupil = pupil_at(school)
            ReferralSubmittedFactory(referral_type=types["bass"], pupil=pupil, school=school)
            SuspensionFactory(pupil=pupil, school=school, created_by=senco)
            psp = PspActiveFactory(pupil=pupil, school=school, created_by=senco)
            psp.targets.create(description="Stays in lessons", strategies="Card",
                               who_does_what="Tutor", success_measure="Log")  # fmt: skip
            TimetableActiveFactory(pupil=pupil, school=school, created_by=senco)
            open_case(types, school, caseworker)
            deadline_services.create_deadline(
                None, kind="action", subject=psp, pupil=pupil, school=school,
                start_date=psp.start_date, title="Review", owner_organisation=school.organisation,
                owner_role=Role.SCHOOL_STAFF,
            )  # fmt: skip

    grow()
    client = client_for(senco)
    for name in API_LISTS:
        assert_same_cost(client, reverse(name), grow, 1)

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Role
from cases.models import Case, Contact
from tests.cases.factories import CaseOpenFactory, ContactFactory, ServiceSettingsFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import ReferralAllocatedFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def open_case(types, school, caseworker, **kwargs):
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    return CaseOpenFactory(referral=referral, caseworker=caseworker, **kwargs)


def test_the_caseload_shows_weeks_contacts_and_last_contact(
    client_for, member, orgs, types, school
):
    ServiceSettingsFactory(service=orgs["boss"], maximum_involvement_weeks=22, minimum_contacts=10)
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    case = open_case(types, school, caseworker)
    ContactFactory(case=case, recorded_by=caseworker, date=D(2026, 2, 2))
    ContactFactory(case=case, recorded_by=caseworker, date=D(2026, 2, 26))
    response = client_for(caseworker).get(reverse("cases:mine"))
    [row] = response.context["cases"]
    # 12 January to 2 March: 6 school weeks on (the February half term does not count).
    assert (row.weeks_used, row.contact_count, row.last_contact) == (6, 2, D(2026, 2, 26))
    html = response.content.decode()
    assert "6 of 22" in html and "2 of at least 10" in html


def test_each_case_s_last_contact_is_its_own(client_for, member, orgs, types, school):
    """A later contact on another case, the caseworker's own or a colleague's, is not this
    case's last contact."""
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    colleague = member(Role.CASEWORKER, organisation=orgs["boss"])
    first, second = open_case(types, school, caseworker), open_case(types, school, caseworker)
    ContactFactory(case=first, recorded_by=caseworker, date=D(2026, 2, 2))
    ContactFactory(case=second, recorded_by=caseworker, date=D(2026, 2, 20))
    ContactFactory(case=open_case(types, school, colleague), recorded_by=colleague,
                   date=D(2026, 2, 27))  # fmt: skip
    response = client_for(caseworker).get(reverse("cases:mine"))
    last = {row.pk: row.last_contact for row in response.context["cases"]}
    assert last == {first.pk: D(2026, 2, 2), second.pk: D(2026, 2, 20)}


def test_a_caseload_of_40_costs_a_fixed_number_of_queries(
    client_for, member, orgs, types, school, django_assert_num_queries
):
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    client = client_for(caseworker)
    open_case(types, school, caseworker)
    client.get(reverse("cases:mine"))  # the authority's term dates, kept in the cache from now
    with django_assert_num_queries(3) as small:
        client.get(reverse("cases:mine"))
    for _ in range(39):
        case = open_case(types, school, caseworker)
        ContactFactory(case=case, recorded_by=caseworker)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("cases:mine"))
    assert len(response.context["cases"]) == 40


def test_arms_length_cases_answer_404_to_other_services_and_schools(
    client_for, member, orgs, types, school, senco
):
    ServiceSettingsFactory(service=orgs["behaviour-officer"], confidential=True)
    officer = member(Role.CASEWORKER, organisation=orgs["behaviour-officer"])
    referral = ReferralAllocatedFactory(
        referral_type=types["bex2"], pupil=pupil_at(school), school=school
    )
    case = CaseOpenFactory(referral=referral, caseworker=officer, confidential=True)
    url = reverse("cases:detail", args=[case.pk])
    assert client_for(officer).get(url).status_code == 200
    boss_manager = member(Role.SERVICE_MANAGER, organisation=orgs["boss"])
    for outsider in (boss_manager, senco, member(Role.GATEWAY_SCREENER, organisation=orgs["prt"])):
        assert client_for(outsider).get(url).status_code == 404


def test_school_staff_see_their_pupils_case_but_not_the_notes(
    client_for, member, orgs, types, school, senco
):
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    case = open_case(types, school, caseworker)
    ContactFactory(case=case, recorded_by=caseworker, notes="Private note about the family")
    html = client_for(senco).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert escape(caseworker.full_name) in html
    assert "Private note about the family" not in html


def test_recording_a_contact_checks_the_answers(client_for, member, orgs, types, school):
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    case = open_case(types, school, caseworker)
    client = client_for(caseworker)
    url = reverse("cases:record-contact", args=[case.pk])
    bad = client.post(
        url,
        {"date_0": "3", "date_1": "3", "date_2": "2026", "kind": "phone",
         "participants": "Mother", "duration_minutes": "ten", "notes": "Called"},
    )  # fmt: skip
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "The date of the contact must be today or in the past" not in html  # field error first
    assert "Enter the duration as a number of minutes, like 45" in html
    future = client.post(
        url,
        {"date_0": "3", "date_1": "3", "date_2": "2026", "kind": "phone",
         "participants": "Mother", "duration_minutes": "10", "notes": "Called"},
    )  # fmt: skip
    assert "The date of the contact must be today or in the past" in future.content.decode()
    good = client.post(
        url,
        {"date_0": "2", "date_1": "3", "date_2": "2026", "kind": "phone",
         "participants": "Mother", "duration_minutes": "10", "notes": "Called"},
    )  # fmt: skip
    assert good.status_code == 302
    assert Contact.objects.filter(case=case).count() == 1
    assert Case.objects.visible_to(caseworker).count() == 1


def test_the_manager_sees_every_caseload_and_cases_past_the_maximum(
    client_for, member, orgs, types, school, django_assert_max_num_queries
):
    ServiceSettingsFactory(service=orgs["boss"], maximum_involvement_weeks=5)
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["boss"])
    first = member(Role.CASEWORKER, organisation=orgs["boss"], full_name="Ann Able")
    second = member(Role.CASEWORKER, organisation=orgs["boss"], full_name="Bo Baker")
    long_case = open_case(types, school, first)  # opened 12 January: 6 school weeks by 2 March
    open_case(types, school, second, opened_on=D(2026, 2, 23))
    client = client_for(manager)
    client.get(reverse("cases:team"))
    with django_assert_max_num_queries(13):
        response = client.get(reverse("cases:team"))
    rows = response.context["cases"]
    assert [(c.caseworker.full_name, c.weeks_used) for c in rows] == [
        ("Ann Able", 6),
        ("Bo Baker", 1),
    ]
    assert response.context["past_maximum"] == [long_case]


def test_a_manager_reallocates_a_case_with_its_deadlines(client_for, member, orgs, types, school):
    from cases import services

    manager = member(Role.SERVICE_MANAGER, organisation=orgs["boss"])
    first = member(Role.CASEWORKER, organisation=orgs["boss"])
    second = member(Role.CASEWORKER, organisation=orgs["boss"])
    case = open_case(types, school, first)
    action = services.agree_action(
        first, case, description="Visit", owner=first, due_date=D(2026, 3, 9)
    )
    response = client_for(manager).post(
        reverse("cases:reallocate", args=[case.pk]), {"caseworker": second.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    action.refresh_from_db()
    assert case.caseworker == second and action.owner_user == second
    refused = client_for(first).post(
        reverse("cases:reallocate", args=[case.pk]), {"caseworker": first.pk}
    )
    assert refused.status_code == 403
    case.refresh_from_db()
    assert case.caseworker == second


def test_a_case_is_offered_only_to_the_service_s_current_caseworkers(
    client_for, member, orgs, types, school
):
    """Allocating and reallocating offer the same people: the service's caseworkers whose
    accounts are active, each with their open cases."""
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["boss"])
    first = member(Role.CASEWORKER, organisation=orgs["boss"])
    gone = member(Role.CASEWORKER, organisation=orgs["boss"])
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    elsewhere = member(Role.CASEWORKER, organisation=orgs["bass"])
    case = open_case(types, school, first)
    page = client_for(manager).get(reverse("cases:reallocate", args=[case.pk]))
    offered = {choice.pk for choice in page.context["form"].fields["caseworker"].queryset}
    assert first.pk in offered
    assert gone.pk not in offered and elsewhere.pk not in offered


def test_the_database_keeps_each_case_s_count_of_contacts(member, orgs, types, school):
    """Recorded through the service or added by any other path, or removed, the count on the
    case follows its contacts, and counting never writes a history entry for the case."""
    from cases import services

    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    case = open_case(types, school, caseworker)
    before = case.events.count()
    services.record_contact(
        caseworker, case, date=D(2026, 2, 2), kind="school_visit", participants="SENCO",
        duration_minutes=30, notes="Visit",
    )  # fmt: skip
    ContactFactory(case=case, recorded_by=caseworker)
    case.refresh_from_db()
    assert case.contact_count == case.contacts.count() == 2
    case.contacts.first().delete()
    case.refresh_from_db()
    assert case.contact_count == 1
    assert case.events.count() == before


def test_a_case_s_next_deadline_is_its_own_not_another_record_s_with_the_same_id(
    client_for, member, orgs, types, school
):
    """Deadlines hang off many kinds of record; one of a referral whose id is the case's is
    not the case's next deadline."""
    from deadlines import services as deadline_services
    from deadlines.models import Deadline

    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    case = open_case(types, school, caseworker)
    Deadline.objects.filter(subject_id=case.pk).delete()  # the case's own, if it has any
    others = deadline_services.create_deadline(
        None, kind="action", subject=case.referral, school=school, start_date=D(2026, 3, 2),
        title="Someone else's deadline", owner_user=caseworker,
    )  # fmt: skip
    Deadline.objects.filter(pk=others.pk).update(subject_id=case.pk)
    response = client_for(caseworker).get(reverse("cases:mine"))
    [row] = response.context["cases"]
    assert row.next_due is None and "Someone else" not in response.content.decode()

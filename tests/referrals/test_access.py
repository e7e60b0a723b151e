"""Who can read a referral, its documents, and the screening queue."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from referrals import services
from referrals.models import Referral
from tests.pupils.factories import SchoolFactory, pupil_at
from tests.referrals.factories import ReferralSubmittedFactory, checklist_ticked
from tests.referrals.test_rules import boss_referral, ready

D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss_submitted(senco, pupil, types, school):
    referral = boss_referral(senco, pupil, types, school)
    return services.submit_referral(senco, referral)


def test_school_b_gets_404_on_school_a_referral_and_its_documents(
    client_for, member, authority, boss_submitted
):
    school_b = SchoolFactory(organisation__local_authority=authority)
    client = client_for(member(Role.SCHOOL_STAFF, organisation=school_b.organisation))
    attachment = boss_submitted.attachments.get()
    assert client.get(reverse("referrals:detail", args=[boss_submitted.pk])).status_code == 404
    response = client.get(reverse("referrals:document", args=[boss_submitted.pk, attachment.pk]))
    assert response.status_code == 404


def test_documents_are_served_to_those_who_may_see_the_referral(
    client_for, senco, screener, boss_submitted
):
    attachment = boss_submitted.attachments.get()
    url = reverse("referrals:document", args=[boss_submitted.pk, attachment.pk])
    for user in (senco, screener):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert 'attachment; filename="psp.pdf"' in response["Content-Disposition"]


def test_bass_cannot_read_a_boss_referral_at_screening(
    client_for, member, orgs, boss_submitted, boss_manager
):
    for role in (Role.SERVICE_MANAGER, Role.CASEWORKER):
        bass_user = member(role, organisation=orgs["bass"])
        response = client_for(bass_user).get(reverse("referrals:detail", args=[boss_submitted.pk]))
        assert response.status_code == 404
    # BOSS itself sees it only once the PRT has accepted it.
    assert not Referral.objects.visible_to(boss_manager).exists()


def test_hsb_referral_is_seen_only_by_its_gateway_and_receiving_service(
    client_for, member, orgs, senco, school, types
):
    pupil = pupil_at(school)
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["hsb"], school=school
    )
    services.submit_referral(senco, ready(referral))
    inbox = member(Role.GATEWAY_SCREENER, organisation=orgs["bacme-inbox"])
    services.accept_referral(inbox, referral, checklist=checklist_ticked(referral))
    bacme = member(Role.CASEWORKER, organisation=orgs["bacme"])
    outsiders = [
        member(Role.CASEWORKER, organisation=orgs["bass"]),
        member(Role.SERVICE_MANAGER, organisation=orgs["boss"]),
        member(Role.GATEWAY_SCREENER, organisation=orgs["prt"]),
        member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=orgs["virtual-school"]),
    ]
    url = reverse("referrals:detail", args=[referral.pk])
    assert client_for(inbox).get(url).status_code == 200
    assert client_for(bacme).get(url).status_code == 200
    for outsider in outsiders:
        assert client_for(outsider).get(url).status_code == 404, outsider


def test_a_gateway_never_sees_drafts(senco, pupil, types, school, screener):
    services.start_referral(senco, pupil=pupil, referral_type=types["boss"], school=school)
    assert not Referral.objects.visible_to(screener).exists()


def test_only_the_receiving_gateway_screens(client_for, member, orgs, boss_submitted):
    inbox = member(Role.GATEWAY_SCREENER, organisation=orgs["bacme-inbox"])
    assert (
        client_for(inbox).get(reverse("referrals:screen", args=[boss_submitted.pk])).status_code
        == 404
    )
    with pytest.raises(Exception, match="Only the gateway that received this referral"):
        services.accept_referral(inbox, boss_submitted, checklist=checklist_ticked(boss_submitted))


def test_la_administrators_see_no_referrals(member, boss_submitted):
    assert not Referral.objects.visible_to(member(Role.LA_ADMINISTRATOR)).exists()


def test_a_queue_page_of_50_costs_a_fixed_number_of_queries(
    client_for, screener, types, school, django_assert_max_num_queries
):
    for _ in range(50):
        ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil_at(school), school=school)
    client = client_for(screener)
    # The page's term dates and INSET days are read once, for its school-day counts.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("referrals:queue"))
    assert len(response.context["page"].object_list) == 50
    for _ in range(30):
        ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil_at(school), school=school)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("referrals:queue"), {"page": 2})
    assert len(response.context["page"].object_list) == 30


def test_an_hsb_case_is_kept_from_the_virtual_school_as_its_referral_is(
    client_for, member, orgs, senco, school, types
):
    """The hole: the HSB referral answered 404 to the virtual school, but its case page, the
    API's case and the pupil's timeline showed the case. The case carries the referral's
    sensitivity."""
    from cases import services as case_services
    from pupils.models import CareStatus

    pupil = pupil_at(school, care_status=CareStatus.LOOKED_AFTER)
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["hsb"], school=school
    )
    services.save_answers(
        senco, referral, virtual_school_consulted_on=D(2026, 2, 26),
        virtual_school_consulted_with="The head of the virtual school",
    )  # fmt: skip
    services.submit_referral(senco, ready(referral))
    inbox = member(Role.GATEWAY_SCREENER, organisation=orgs["bacme-inbox"])
    services.accept_referral(inbox, referral, checklist=checklist_ticked(referral))
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["bacme"])
    bacme = member(Role.CASEWORKER, organisation=orgs["bacme"])
    case = case_services.allocate_referral(manager, referral, caseworker=bacme)
    assert case.sensitive
    officer = client_for(member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=orgs["virtual-school"]))

    assert officer.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert officer.get(reverse("api:case-detail", args=[case.pk])).status_code == 404
    timeline = officer.get(reverse("pupils:detail", args=[pupil.pk])).content.decode()
    assert reverse("cases:detail", args=[case.pk]) not in timeline
    # The service working it, and the school that referred, still read it.
    assert client_for(bacme).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    assert client_for(senco).get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_the_pupil_timeline_shows_only_the_steps_of_records_the_reader_may_see(
    member, types, school
):
    """A SENCO reads the steps of their own school's referral and suspension on the pupil's
    timeline, not those of the pupil's previous school: each provider reads through its
    records' ``visible_to``."""
    from exclusions.models import ExclusionActivity
    from pupils.timeline import timeline_for
    from referrals.models import ReferralActivity
    from tests.exclusions.factories import SuspensionFactory

    pupil = pupil_at(school)
    before = SchoolFactory(organisation__local_authority=school.organisation.local_authority)
    ours = ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil, school=school)
    theirs = ReferralSubmittedFactory(referral_type=types["bass"], pupil=pupil, school=before)
    exclusions = {}
    for at in (school, before):
        exclusions[at] = SuspensionFactory(pupil=pupil, school=at)
        ExclusionActivity.objects.create(exclusion=exclusions[at], kind="notified")
    for referral in (ours, theirs):
        ReferralActivity.objects.create(referral=referral, kind="submitted")
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    urls = [entry.url for entry in timeline_for(senco, pupil)]
    assert sorted(urls) == sorted([
        reverse("referrals:detail", args=[ours.pk]),
        reverse("exclusions:detail", args=[exclusions[school].pk]),
    ])  # fmt: skip


def test_the_pupil_timeline_shows_none_of_another_pupil_s_steps(member, types, school):
    """Two pupils of one school, each with a referral, a case and a suspension that the SENCO
    may see: each pupil's timeline holds their own steps and none of the other's (each provider
    reads its records of the one pupil)."""
    from cases.models import CaseActivity
    from exclusions.models import ExclusionActivity
    from pupils.timeline import timeline_for
    from referrals.models import ReferralActivity
    from tests.cases.factories import CaseOpenFactory
    from tests.exclusions.factories import SuspensionFactory

    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    caseworker = member(Role.CASEWORKER, organisation=types["bass"].service)
    urls = {}
    pupils = [pupil_at(school), pupil_at(school)]
    for pupil in pupils:
        referral = ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil,
                                            school=school)  # fmt: skip
        case = CaseOpenFactory(referral__referral_type=types["bass"], referral__pupil=pupil,
                               referral__school=school, caseworker=caseworker)  # fmt: skip
        suspension = SuspensionFactory(pupil=pupil, school=school)
        ReferralActivity.objects.create(referral=referral, kind="submitted")
        CaseActivity.objects.create(case=case, kind="opened")
        ExclusionActivity.objects.create(exclusion=suspension, kind="notified")
        urls[pupil] = sorted([
            reverse("referrals:detail", args=[referral.pk]),
            reverse("cases:detail", args=[case.pk]),
            reverse("exclusions:detail", args=[suspension.pk]),
        ])  # fmt: skip
    for pupil in pupils:
        assert sorted(entry.url for entry in timeline_for(senco, pupil)) == urls[pupil]

"""Two records of one child (typed in twice before a transfer file came) are merged by an LA
administrator: every referral, case, plan, exclusion and history row follows the kept record,
the merge is in the history, and it can be undone for 30 days."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from config.errors import DomainError
from pupils import merging, services
from pupils.models import Pupil, PupilMerge
from tests.accounts.factories import LocalAuthorityFactory
from tests.exclusions.factories import SuspensionFactory
from tests.plans.factories import PspActiveFactory
from tests.pupils.factories import EnrolmentFactory, SchoolFactory, pupil_at
from tests.referrals.conftest import orgs, types  # noqa: F401
from tests.referrals.factories import ReferralSubmittedFactory

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_school_day")]


@pytest.fixture
def admin(member, authority):
    return member(Role.LA_ADMINISTRATOR, organisation=authority)


@pytest.fixture
def twins(school, authority, member, types, officer):  # noqa: F811
    """One child recorded twice (the second by a transfer file), each record with records of
    its own; and a classmate whose records must not move."""
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    kept = pupil_at(school, legal_first_name="Amira", legal_last_name="Khan")
    duplicate = pupil_at(school, legal_first_name="AMIRA", legal_last_name="khan",
                         date_of_birth=kept.date_of_birth)  # fmt: skip
    earlier = SchoolFactory(organisation__local_authority=authority)
    EnrolmentFactory(pupil=duplicate, school=earlier, start_date=D(2019, 9, 2),
                     end_date=D(2023, 7, 21))  # fmt: skip
    classmate = pupil_at(school)
    for pupil in (duplicate, classmate):
        ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil, school=school)
        SuspensionFactory(pupil=pupil, school=school, created_by=senco)
        PspActiveFactory(pupil=pupil, school=school, created_by=senco)
        services.record_sen_status(senco, pupil, sen_status="sen_support", primary_need="SEMH",
                                   start_date=D(2025, 9, 8))  # fmt: skip
    services.record_care_status(officer, duplicate, status="cin", start_date=D(2025, 1, 6))
    services.record_care_status(officer, duplicate, status="none", start_date=D(2025, 7, 1))
    return kept, duplicate, classmate


def records(pupil):
    return {
        "referrals": pupil.referrals.count(),
        "exclusions": pupil.exclusions.count(),
        "psps": pupil.pastoralsupportplan_set.count()
        if hasattr(pupil, "pastoralsupportplan_set") else None,
        "enrolments": sorted((e.school_id, e.start_date, e.end_date)
                             for e in pupil.enrolments.all()),
        "care": pupil.care_episodes.count(),
        "sen": pupil.sen_episodes.count(),
    }  # fmt: skip


def test_every_record_of_the_duplicate_follows_the_kept_one_and_the_classmate_s_stay(
    admin, twins, school
):
    kept, duplicate, classmate = twins
    before = records(duplicate)
    classmate_before = records(classmate)
    merge = merging.merge_pupils(admin, kept, duplicate)
    after = records(kept)
    assert (after["referrals"], after["exclusions"], after["care"], after["sen"]) == (
        before["referrals"],
        before["exclusions"],
        before["care"],
        before["sen"],
    )
    assert after["psps"] == before["psps"]
    today = D(2026, 3, 2)
    assert sorted(after["enrolments"]) == sorted(
        [
            (school.pk, D(2023, 9, 1), None),
            *[e for e in before["enrolments"] if e[0] != school.pk],
        ]
    ), "the kept record's own place at the school stays; the other's is ended and stays behind"
    assert duplicate.enrolments.get().end_date == today
    assert records(classmate) == classmate_before
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert not Pupil.objects.visible_to(admin).filter(pk=duplicate.pk).exists()
    assert set(merge.moved) >= {"referrals.Referral", "exclusions.Exclusion",
                                "pupils.CareEpisode", "pupils.SenEpisode"}  # fmt: skip
    assert merge.merged_by == admin and PupilMerge.objects.count() == 1


def test_a_merge_is_undone_within_30_days_and_not_after(admin, twins, school):
    kept, duplicate, _ = twins
    before = {p.pk: records(p) for p in twins}
    merge = merging.merge_pupils(admin, kept, duplicate)
    with time_machine.travel(datetime.datetime(2026, 3, 31, 9, 0), tick=False):
        merging.undo_merge(admin, merge)
    assert {p.pk: records(p) for p in twins} == before
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    with pytest.raises(DomainError, match="already been undone"):
        merging.undo_merge(admin, merge)
    again = merging.merge_pupils(admin, kept, duplicate)
    later = time_machine.travel(datetime.datetime(2026, 4, 2, 9, 0), tick=False)
    with later, pytest.raises(DomainError, match="for 30 days only"):
        merging.undo_merge(admin, again)


def test_two_open_referrals_to_one_service_are_not_merged(admin, twins, school, types):  # noqa: F811
    kept, duplicate, _ = twins
    ReferralSubmittedFactory(referral_type=types["boss"], pupil=kept, school=school)
    with pytest.raises(DomainError, match="Both records have an open referral to BOSS"):
        merging.merge_pupils(admin, kept, duplicate)
    assert duplicate.referrals.count() == 1


def test_only_the_authority_s_administrators_merge(member, twins):
    kept, duplicate, _ = twins
    elsewhere = member(Role.LA_ADMINISTRATOR, organisation=LocalAuthorityFactory())
    for someone in (elsewhere, member(Role.SCHOOL_STAFF), member(Role.VIRTUAL_SCHOOL_OFFICER)):
        with pytest.raises(DomainError, match="Only an administrator of the authority"):
            merging.merge_pupils(someone, kept, duplicate)
    assert duplicate.referrals.count() == 1


def test_the_administrator_finds_compares_merges_and_undoes(admin, twins, client_for, member):
    kept, duplicate, classmate = twins
    client = client_for(admin)
    url = reverse("pupils:duplicates")
    assert url in client.get(reverse("accounts:home")).content.decode()
    listed = client.get(url).content.decode()
    compare = reverse("pupils:merge", args=[kept.pk, duplicate.pk])
    assert compare in listed and classmate.upn not in listed
    page = client.get(compare).content.decode()
    assert "Referrals" in page and kept.upn in page and duplicate.upn in page
    assert "---------" not in page and ">None<" not in page
    empty = client.post(compare, {})
    assert empty.status_code == 400 and "Select the record to keep" in empty.content.decode()
    done = client.post(compare, {"kept": str(kept.pk)}, follow=True).content.decode()
    assert "are one. You can undo this for 30 days" in done
    merge = PupilMerge.objects.get()
    undo = reverse("pupils:undo-merge", args=[merge.pk])
    assert undo in done
    assert "Undo the merge" in client.get(undo).content.decode()
    undone = client.post(undo, follow=True).content.decode()
    assert "are two records again" in undone
    assert client.post(undo).status_code == 409
    assert client_for(member(Role.SCHOOL_STAFF)).get(url).status_code == 403
    assert client_for(member(Role.CASEWORKER)).get(compare).status_code == 403

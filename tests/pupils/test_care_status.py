"""Pupil data entered once: the virtual school officer records a child's care status by hand
(seed 002: the virtual school follows looked-after and previously looked-after children, and
promotes the education of children on a child in need or child protection plan). A previously
looked-after child is one adopted from care or under a special guardianship or child
arrangements order (DfE, "Promoting the education of looked-after children and previously
looked-after children", 2018, paragraph 6)."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from config.errors import DomainError
from pupils import services
from pupils.models import CareStatus, Pupil
from tests.accounts.factories import LocalAuthorityFactory, VirtualSchoolFactory
from tests.pupils.factories import SchoolFactory, pupil_at

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_school_day")]


def test_a_child_on_a_child_in_need_plan_then_a_protection_plan_keeps_the_history(officer, school):
    """Children Act 1989, sections 17 and 47: a child in need plan, then a child protection plan,
    each kept as a period with its dates."""
    pupil, classmate = pupil_at(school), pupil_at(school)
    services.record_care_status(officer, pupil, status=CareStatus.CHILD_IN_NEED,
                                start_date=D(2025, 11, 3))  # fmt: skip
    services.record_care_status(officer, pupil, status=CareStatus.CHILD_PROTECTION,
                                start_date=D(2026, 2, 9))  # fmt: skip
    pupil.refresh_from_db()
    assert pupil.care_status == "cp"
    assert [(e.status, e.start_date, e.end_date) for e in pupil.care_episodes.all()] == [
        ("cp", D(2026, 2, 9), None),
        ("cin", D(2025, 11, 3), D(2026, 2, 8)),
    ]
    classmate.refresh_from_db()
    assert (classmate.care_status, classmate.care_episodes.count()) == ("none", 0)


def test_an_adopted_child_joins_the_cohort_as_previously_looked_after(officer, school, authority):
    """Children and Families Act 2014, section 23ZZA: a child who left care through adoption, a
    special guardianship or a child arrangements order is previously looked after, in the virtual
    school's cohort."""
    pupil = pupil_at(school)
    assert not Pupil.objects.visible_to(officer).filter(pk=pupil.pk).exists()
    with pytest.raises(DomainError, match="Select how the child left care") as refused:
        services.record_care_status(officer, pupil, status="pla", start_date=D(2024, 6, 1))
    assert refused.value.field == "arrangement"
    services.record_care_status(officer, pupil, status="pla", start_date=D(2024, 6, 1),
                                arrangement="adoption")  # fmt: skip
    episode = pupil.care_episodes.get()
    assert (episode.status, episode.arrangement) == ("pla", "adoption")
    assert Pupil.objects.visible_to(officer).filter(pk=pupil.pk).exists()


def test_looked_after_by_hand_is_looked_after_by_the_officers_authority(officer, school, authority):
    """A child recorded as looked after by hand is looked after by the recording officer's own
    authority."""
    pupil = pupil_at(school)
    services.record_care_status(officer, pupil, status="cla", start_date=D(2026, 1, 5))
    pupil.refresh_from_db()
    assert pupil.looked_after_by.pk == authority.pk
    assert pupil.care_episodes.get().responsible_authority == authority.name


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"status": "cin", "start_date": D(2026, 3, 3)}, "start_date",
         "The date must be today or in the past"),
        ({"status": "cin", "start_date": D(2001, 1, 1)}, "start_date",
         "The date must be after the child was born"),
        ({"status": "cp", "start_date": D(2025, 1, 1)}, "start_date",
         "must start after 1 September 2025"),
        ({"status": "cin", "start_date": D(2026, 3, 2)}, "status", "already recorded as"),
    ],
)  # fmt: skip
def test_a_change_that_cannot_be_right_is_refused_in_words(officer, school, fields, field, words):
    """A change that cannot be right (the same status again, or a start before the current one) is
    refused in words."""
    pupil = pupil_at(school)
    services.record_care_status(officer, pupil, status="cin", start_date=D(2025, 9, 1))
    with pytest.raises(DomainError, match=words) as refused:
        services.record_care_status(officer, pupil, **fields)
    assert refused.value.field == field
    assert pupil.care_episodes.count() == 1


def test_another_authoritys_virtual_school_cannot_record_our_child(member, school, officer):
    """Another authority's virtual school cannot record this authority's child."""
    elsewhere = member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=VirtualSchoolFactory(
        local_authority=LocalAuthorityFactory()))  # fmt: skip
    pupil = pupil_at(school)
    with pytest.raises(DomainError, match="Only the virtual school of the authority"):
        services.record_care_status(elsewhere, pupil, status="cin", start_date=D(2026, 1, 5))
    assert pupil.care_episodes.count() == 0
    staff = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    with pytest.raises(DomainError, match="Only the virtual school"):
        services.record_care_status(staff, pupil, status="cin", start_date=D(2026, 1, 5))


def test_the_officer_finds_a_child_by_upn_and_date_of_birth_and_records_a_plan(
    officer, school, authority, client_for, member
):
    """The officer finds a child by UPN and date of birth together, and records a plan."""
    pupil = pupil_at(school, date_of_birth=D(2014, 5, 3))
    other_authority_school = SchoolFactory(organisation__local_authority=LocalAuthorityFactory())
    away = pupil_at(other_authority_school, date_of_birth=D(2014, 5, 3))
    client = client_for(officer)
    find = reverse("pupils:find-for-care")
    assert find in client.get(reverse("accounts:home")).content.decode()
    wrong = client.get(find, {"upn": pupil.upn, "date_of_birth_0": "4",
                              "date_of_birth_1": "5", "date_of_birth_2": "2014"})  # fmt: skip
    assert wrong.status_code == 400
    assert "No child with this UPN and date of birth" in wrong.content.decode()
    not_ours = client.get(find, {"upn": away.upn, "date_of_birth_0": "3",
                                 "date_of_birth_1": "5", "date_of_birth_2": "2014"})  # fmt: skip
    assert not_ours.status_code == 400
    found = client.get(find, {"upn": pupil.upn.lower(), "date_of_birth_0": "3",
                              "date_of_birth_1": "5", "date_of_birth_2": "2014"})  # fmt: skip
    url = reverse("pupils:record-care", args=[pupil.pk])
    assert found.status_code == 302 and found["Location"] == url
    form = client.get(url).content.decode()
    assert "Adopted from care" in form and "---------" not in form and ">None<" not in form
    refused = client.post(url, {"status": "pla", "start_date_0": "1", "start_date_1": "9",
                                "start_date_2": "2025"})  # fmt: skip
    assert refused.status_code == 400
    assert "Select how the child left care" in refused.content.decode()
    saved = client.post(url, {"status": "cin", "start_date_0": "1", "start_date_1": "9",
                              "start_date_2": "2025"}, follow=True)  # fmt: skip
    assert "care status is recorded: child in need plan" in saved.content.decode()
    assert client.get(reverse("pupils:record-care", args=[away.pk])).status_code == 404
    caseworker = member(Role.CASEWORKER)
    assert client_for(caseworker).get(url).status_code == 403

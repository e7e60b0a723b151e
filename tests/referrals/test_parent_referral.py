"""Seed 004: form B/ex1, a parent's referral, is taken from the parent by the behaviour officer,
and is never offered to a school."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from config.errors import DomainError
from referrals import services
from referrals.models import Question, Referral, Status
from referrals.selectors import referral_types_for
from tests.pupils.factories import SchoolFactory, pupil_at
from tests.referrals.factories import ReferralTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bex1(orgs):
    return ReferralTypeFactory(
        code="bex1", name="Behaviour officer: parent referral (B/ex1)",
        service=orgs["behaviour-officer"], questions=[Question.PARENT, Question.EXCLUSIONS],
    )  # fmt: skip


@pytest.fixture
def caseworker(member, orgs):
    return member(Role.CASEWORKER, organisation=orgs["boss"])


@pytest.fixture
def officer(member, orgs):
    return member(Role.CASEWORKER, organisation=orgs["behaviour-officer"])


def _form(school, pupil, bex1, **changes):
    born = pupil.date_of_birth
    return {
        "referral_type": bex1.pk, "school": school.pk, "first_name": pupil.legal_first_name,
        "last_name": pupil.legal_last_name.upper(), "date_of_birth_0": born.day,
        "date_of_birth_1": born.month, "date_of_birth_2": born.year,
        "referrer_name": "Jo Stone", "referrer_role": "Mother", "referrer_phone": "0113 496 0000",
        "reason": "Riley was suspended for five days; I want to understand what happens next.",
        "consent_method": "phone", **changes,
    }  # fmt: skip


def test_a_school_is_never_offered_the_parent_s_form(client_for, senco, school, pupil, bex1, types):
    """Seed 004: form B/ex1 is the parent or carer's referral, taken by the behaviour officer: a
    school refers with B/ex2."""
    assert bex1 not in referral_types_for(school)
    assert types["bass"] in referral_types_for(school)
    page = client_for(senco).get(reverse("referrals:choose-type", args=[pupil.pk]))
    assert "B/ex1" not in page.content.decode()
    with pytest.raises(DomainError, match="taken from the parent by the behaviour officer"):
        services.start_referral(senco, pupil=pupil, referral_type=bex1, school=school)


def test_the_behaviour_officer_takes_it_and_it_waits_for_their_service(
    client_for, officer, school, pupil, bex1
):
    """Seed 004: "A case will be opened on completion of form B/ex1 for parental referrals": it
    waits for allocation in the officer's service."""
    client = client_for(officer)
    assert reverse("referrals:from-a-parent") in client.get("/").content.decode()
    response = client.post(reverse("referrals:from-a-parent"), _form(school, pupil, bex1))
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert (referral.status, referral.pupil, referral.school, referral.service) == (
        Status.SUBMITTED, pupil, school, bex1.service,
    )  # fmt: skip
    assert referral.reference.startswith("REF-")
    assert referral.consent_given_by == "Jo Stone (Mother)"
    assert referral.consent_given_on == datetime.date(2026, 3, 2)
    assert referral.referrer_phone == "0113 496 0000"


def test_a_child_not_found_is_said_in_words_and_nothing_is_made(
    client_for, officer, school, pupil, bex1, authority
):
    """A child not found at the school by name and date of birth is said in words, and nothing is
    made."""
    other = SchoolFactory(organisation__local_authority=authority, name="Elm Academy")
    response = client_for(officer).post(
        reverse("referrals:from-a-parent"), _form(other, pupil, bex1)
    )
    assert response.status_code == 400
    assert "No child at Elm Academy has that name and date of birth" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_parent_or_carer_needs_a_phone_number_or_email(client_for, officer, school, pupil, bex1):
    """Seed 004 (form B/ex1): the parent or carer gives a phone number or an e-mail address to be
    contacted on."""
    response = client_for(officer).post(
        reverse("referrals:from-a-parent"), _form(school, pupil, bex1, referrer_phone="")
    )
    assert response.status_code == 400
    assert "Enter a phone number or e-mail address" in response.content.decode()


def test_only_the_service_that_takes_parent_referrals_has_the_page(client_for, caseworker, bex1):
    """Only a service whose form B/ex1 takes parents' referrals has the page."""
    assert client_for(caseworker).get(reverse("referrals:from-a-parent")).status_code == 403


def test_another_service_s_member_cannot_send_one(caseworker, school, bex1):
    """A member of another service cannot send one for this service."""
    pupil = pupil_at(school)
    with pytest.raises(DomainError, match="Only Behaviour officer takes this referral"):
        services.take_parent_referral(
            caseworker, referral_type=bex1, pupil=pupil, school=school,
            answers={"referrer_name": "Jo", "referrer_phone": "1", "reason": "x"},
        )  # fmt: skip

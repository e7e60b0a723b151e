"""Bad input gets a message in words by its field, or a 4xx JSON error from the API, and
nothing already saved is lost: never a 500."""

import datetime

import pytest
from django import forms
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from accounts import services as account_services
from accounts.models import ApiToken, Role
from cases import services as case_services
from config.api import RealDateField
from config.errors import DomainError
from config.govuk import GovukDateField
from deadlines.codes import KindCode
from deadlines.models import Deadline
from referrals.models import Referral
from tests.cases.factories import CaseOpenFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import ReferralAllocatedFactory
from tests.referrals.test_rules import boss_referral

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)  # tests/referrals/conftest.py travels to this school day


def date_post(name, day, month, year, **extra):
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year), **extra}


@pytest.fixture
def case(types, school, orgs, member):
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    return CaseOpenFactory(referral=referral, caseworker=caseworker, opened_on=TODAY)


def test_an_action_too_long_for_its_deadline_is_refused_by_the_field(case, client_for):
    caseworker = case.caseworker
    page = client_for(caseworker).post(
        reverse("cases:agree-action", args=[case.pk]),
        {"description": "x" * 200, "owner": caseworker.pk, **date_post("due_date", 9, 3, 2026)},
    )
    assert page.status_code == 400
    assert page.context["form"].errors["description"] == [
        "The action must be 150 characters or fewer"
    ]
    with pytest.raises(DomainError, match="150 characters or fewer") as refused:
        case_services.agree_action(
            caseworker, case, description="y" * 151, owner=caseworker, due_date=TODAY
        )
    assert refused.value.field == "description"
    assert not Deadline.objects.filter(kind__code=KindCode.ACTION).exists()


def test_an_action_due_in_the_year_9999_is_refused_in_words(case, client_for):
    page = client_for(case.caseworker).post(
        reverse("cases:agree-action", args=[case.pk]),
        {"description": "Observe", "owner": case.caseworker.pk,
         **date_post("due_date", 31, 12, 9999)},
    )  # fmt: skip
    assert page.status_code == 400
    assert page.context["form"].errors["due_date"] == [
        "Due by must be between 1 January 2000 and 31 December 2031"
    ]
    with pytest.raises(DomainError, match="The due date must be between") as refused:
        case_services.agree_action(
            case.caseworker, case, description="Observe", owner=case.caseworker,
            due_date=datetime.date(9999, 12, 31),
        )  # fmt: skip
    assert refused.value.field == "due_date"


def test_dates_no_one_can_mean_are_refused_with_the_range(
    case, client_for, senco, pupil, types, school
):
    referral = boss_referral(senco, pupil, types, school)
    consent = client_for(senco).post(
        reverse("referrals:section", args=[referral.pk, "consent"]),
        {"consent_given_by": "Jo Stone (mother)", "consent_method": "phone",
         **date_post("consent_given_on", 1, 1, 1000)},
    )  # fmt: skip
    assert consent.status_code == 400
    assert consent.context["form"].errors["consent_given_on"] == [
        "The date consent was given must be between 1 January 2000 and 31 December 2031"
    ]
    referral.refresh_from_db()
    assert referral.consent_given_on == datetime.date(2026, 2, 27)  # what was saved stays

    contact = client_for(case.caseworker).post(
        reverse("cases:record-contact", args=[case.pk]),
        {"kind": "school_visit", "participants": "SENCO", "duration_minutes": "30",
         "notes": "Visit", **date_post("date", 2, 3, 1000)},
    )  # fmt: skip
    assert contact.status_code == 400
    assert (
        "Date of the contact must be between 1 January 2000"
        in (contact.context["form"].errors["date"][0])
    )

    born = client_for(senco).post(
        reverse("referrals:new-pupil"),
        {"legal_first_name": "Sam", "legal_last_name": "Ray", "gender": "F",
         "upn": "", **date_post("date_of_birth", 1, 1, 9999),
         **date_post("enrolled_on", 1, 9, 2025)},
    )  # fmt: skip
    assert born.status_code == 400
    assert born.context["form"].errors["date_of_birth"] == [
        "Date of birth must be between 2 March 2000 and 2 March 2026"
    ]


def api_headers(member, school, senco):
    _, key = account_services.issue_api_token(
        senco, senco, verified=True, name="Oak MIS", read_only=False
    )
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def referral_body(pupil, **changes):
    return {
        "pupil": pupil.pk, "referral_type": "bass-individual", "reason": "Disruption",
        "consent_given_by": "Jo Stone (mother)", "consent_given_on": "2026-02-27",
        "consent_method": "phone", **changes,
    }  # fmt: skip


def post_referral(client, headers, body):
    return client.post(
        reverse("api:referral-list"), body, content_type="application/json", **headers
    )


def test_the_api_refuses_overlong_text_and_dates_as_the_forms_do(
    client, member, school, senco, pupil, types
):
    headers = api_headers(member, school, senco)
    cases = [
        ({"consent_given_by": "x" * 151}, "consent_given_by",
         "Ensure this field has no more than 150 characters."),
        ({"virtual_school_consulted_with": "x" * 151}, "virtual_school_consulted_with",
         "Ensure this field has no more than 150 characters."),
        ({"consent_given_on": "2026-02-31"}, "consent_given_on",
         "The date consent was given must be a real date"),
        ({"consent_given_on": "1000-01-01"}, "consent_given_on",
         "The date consent was given must be between 1 January 2000 and 31 December 2031"),
        ({"consent_given_on": "27/02/2026"}, "consent_given_on",
         "The date consent was given must be a date written as YYYY-MM-DD"),
    ]  # fmt: skip
    for change, field, message in cases:
        response = post_referral(client, headers, referral_body(pupil, **change))
        assert response.status_code == 400, change
        found = [(e["field"], e["message"]) for e in response.json()["errors"]]
        assert (field, message) in found, change
    assert not Referral.objects.filter(pupil=pupil).exists()


def test_a_referral_refused_at_submission_leaves_no_draft_and_a_repeat_is_told_in_words(
    client, member, school, senco, pupil, types
):
    """The API's referral is started, answered and sent in one transaction."""
    headers = api_headers(member, school, senco)
    hsb = referral_body(pupil, referral_type=types["boss"].code)  # needs its PSP: refused
    refused = post_referral(client, headers, hsb)
    assert refused.status_code == 422  # a rule of the service: the PSP is missing
    assert not Referral.objects.filter(pupil=pupil).exists()  # no orphan draft

    first = post_referral(client, headers, referral_body(pupil))
    again = post_referral(client, headers, referral_body(pupil))
    assert (first.status_code, again.status_code) == (201, 409)  # a conflict: retrying won't help
    assert "already has an open referral" in again.json()["errors"][0]["message"]
    assert Referral.objects.filter(pupil=pupil).count() == 1


def test_revoking_a_token_that_is_not_a_number_is_told_not_a_500(client_for, member, school):
    admin = member(Role.LA_ADMINISTRATOR, organisation=school.organisation.local_authority)
    page = client_for(admin).post(reverse("accounts:api-tokens"), {"revoke": "abc"}, follow=True)
    assert page.status_code == 200
    assert "That token was not found" in page.content.decode()
    assert not ApiToken.objects.exists()


# ---- every date field, whatever is typed -------------------------------------------------


class OneDate(forms.Form):
    when = GovukDateField(label="The date")


parts = st.one_of(st.integers(-10, 100000).map(str), st.text(max_size=6))


@settings(max_examples=300, deadline=None)
@given(day=parts, month=parts, year=parts)
def test_a_typed_date_is_a_date_a_person_can_mean_or_a_message(day, month, year):
    form = OneDate(data=date_post("when", day, month, year))
    if form.is_valid():
        assert datetime.date(2000, 1, 1) <= form.cleaned_data["when"] <= datetime.date(2031, 12, 31)
    else:
        (message,) = form.errors["when"]
        assert message.startswith(("Enter the date", "The date must"))


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(max_size=12), st.dates().map(str), st.integers().map(str)))
def test_an_api_date_is_a_date_a_person_can_mean_or_a_message(value):
    field = RealDateField(name="the date")
    try:
        day = field.run_validation(value)
    except serializers.ValidationError as refused:
        (message,) = refused.detail
        assert message.startswith(("The date must", "Enter the date", "This field"))
    else:
        assert datetime.date(2000, 1, 1) <= day <= datetime.date(2031, 12, 31)

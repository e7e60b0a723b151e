"""Pupil data entered once: the pupil's school records their special educational provision
(SEN support, an EHC plan) from a date, and the history is kept as the DfE's SEN history is
(the school census and the Common Transfer File record each provision with its start date)."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from config.errors import DomainError
from pupils import services
from pupils.models import SenStatus
from tests.pupils.factories import SchoolFactory, pupil_at

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_school_day")]


@pytest.fixture
def senco(member, school):
    return member(Role.SCHOOL_STAFF, organisation=school.organisation)


def test_an_ehc_plan_follows_sen_support_and_the_support_is_kept_as_history(senco, school):
    pupil, classmate = pupil_at(school), pupil_at(school)
    services.record_sen_status(senco, pupil, sen_status=SenStatus.SEN_SUPPORT,
                               primary_need="SEMH", start_date=D(2025, 9, 3))  # fmt: skip
    services.record_sen_status(senco, pupil, sen_status=SenStatus.EHCP, primary_need="SEMH",
                               start_date=D(2026, 1, 12))  # fmt: skip
    pupil.refresh_from_db()
    assert (pupil.sen_status, pupil.sen_primary_need) == ("ehcp", "SEMH")
    assert [(e.provision, e.start_date, e.end_date) for e in pupil.sen_episodes.all()] == [
        ("ehcp", D(2026, 1, 12), None),
        ("sen_support", D(2025, 9, 3), D(2026, 1, 11)),
    ]
    assert pupil.sen_episodes.first().recorded_by == senco
    classmate.refresh_from_db()
    assert (classmate.sen_status, classmate.sen_episodes.count()) == ("none", 0)
    services.record_sen_status(senco, pupil, sen_status=SenStatus.NONE, start_date=D(2026, 3, 2))
    pupil.refresh_from_db()
    assert (pupil.sen_status, pupil.sen_primary_need) == ("none", "")
    assert pupil.sen_episodes.get(provision="ehcp").end_date == D(2026, 3, 1)


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"sen_status": "ehcp", "primary_need": "ASD", "start_date": D(2026, 3, 3)},
         "start_date", "The date must be today or in the past"),
        ({"sen_status": "ehcp", "primary_need": "ASD", "start_date": D(2000, 1, 1)},
         "start_date", "The date must be after the pupil was born"),
        ({"sen_status": "ehcp", "primary_need": "", "start_date": D(2026, 3, 2)},
         "primary_need", "Select the pupil's primary need"),
        ({"sen_status": "ehcp", "primary_need": "MLD", "start_date": D(2025, 9, 1)},
         "start_date", "The change must start after 3 September 2025"),
        ({"sen_status": "sen_support", "primary_need": "SEMH", "start_date": D(2026, 3, 2)},
         "sen_status", "already has SEN support with this primary need"),
    ],
)  # fmt: skip
def test_a_change_that_cannot_be_right_is_refused_in_words(senco, school, fields, field, words):
    pupil = pupil_at(school)
    services.record_sen_status(senco, pupil, sen_status=SenStatus.SEN_SUPPORT,
                               primary_need="SEMH", start_date=D(2025, 9, 3))  # fmt: skip
    with pytest.raises(DomainError, match=words) as refused:
        services.record_sen_status(senco, pupil, **fields)
    assert refused.value.field == field
    assert pupil.sen_episodes.count() == 1


def test_only_staff_of_the_pupils_school_record_their_sen(member, school, authority):
    pupil = pupil_at(school)
    elsewhere = member(
        Role.SCHOOL_STAFF,
        organisation=SchoolFactory(organisation__local_authority=authority).organisation,
    )
    with pytest.raises(DomainError, match="Only staff of the pupil's school"):
        services.record_sen_status(elsewhere, pupil, sen_status="ehcp", primary_need="ASD")


def test_the_school_records_an_ehc_plan_on_the_pupils_page(senco, school, client_for, member):
    pupil = pupil_at(school)
    client = client_for(senco)
    page = client.get(reverse("pupils:detail", args=[pupil.pk])).content.decode()
    url = reverse("pupils:record-sen", args=[pupil.pk])
    assert url in page
    form = client.get(url).content.decode()
    assert "Choose the primary need" in form and "---------" not in form
    refused = client.post(url, {"sen_status": "ehcp", "start_date_0": "31",
                                "start_date_1": "2", "start_date_2": "2026"})  # fmt: skip
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "govuk-error-summary" in text and "The date it started must be a real date" in text
    saved = client.post(url, {"sen_status": "ehcp", "primary_need": "SEMH",
                              "start_date_0": "12", "start_date_1": "1",
                              "start_date_2": "2026"}, follow=True)  # fmt: skip
    shown = saved.content.decode()
    assert "special educational needs are recorded" in shown
    assert "From 12 January 2026; social, emotional and mental health" in shown
    caseworker = member(Role.CASEWORKER)
    assert client_for(caseworker).get(url).status_code in {403, 404}

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from exclusions.models import Exclusion
from pupils.models import CareStatus
from tests.exclusions.test_statutory_steps import notify
from tests.pupils.factories import SchoolFactory, pupil_at

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(school, member):
    return member(Role.SCHOOL_STAFF, organisation=school.organisation)


def test_school_b_gets_404_on_school_a_s_exclusion(client_for, member, school, staff, authority):
    exclusion = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    other = SchoolFactory(organisation__local_authority=authority)
    url = reverse("exclusions:detail", args=[exclusion.pk])
    assert client_for(staff).get(url).status_code == 200
    assert (
        client_for(member(Role.SCHOOL_STAFF, organisation=other.organisation)).get(url).status_code
        == 404
    )


def test_the_page_shows_each_step_and_how_it_was_counted(client_for, school, staff):
    exclusion = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 16))
    html = client_for(staff).get(reverse("exclusions:detail", args=[exclusion.pk])).content.decode()
    assert "Governing board considers reinstatement" in html
    assert "15 school days from Monday 16 March 2026" in html
    assert "skipping the Easter holiday" in html


def test_the_register_lists_the_authority_s_exclusions_with_filters(
    client_for, member, school, staff, authority
):
    officer = member(Role.EXCLUSIONS_OFFICER)
    looked_after = pupil_at(school, care_status=CareStatus.LOOKED_AFTER)
    first = notify(
        staff,
        looked_after,
        school,
        start=D(2026, 3, 2),
        virtual_school_contacted_on=D(2026, 2, 27),
        social_worker_told_on=D(2026, 3, 2),
    )
    second = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    client = client_for(officer)
    everything = client.get(reverse("exclusions:register"))
    assert {e.pk for e in everything.context["rows"]} == {first.pk, second.pk}
    cla = client.get(reverse("exclusions:register"), {"care": "cla"})
    assert [e.pk for e in cla.context["rows"]] == [first.pk]
    permanent = client.get(reverse("exclusions:register"), {"kind": "permanent"})
    assert [e.pk for e in permanent.context["rows"]] == [second.pk]
    assert [d.kind.code for d in permanent.context["rows"][0].open_steps] == [
        "sixth-day", "board-consider"
    ]  # fmt: skip
    assert client_for(staff).get(reverse("exclusions:register")).status_code == 403


def test_notifying_from_the_page_checks_the_answers(client_for, school, staff):
    pupil = pupil_at(school)
    client = client_for(staff)
    url = reverse("exclusions:notify", args=[pupil.pk])
    missing = client.post(url, {"kind": "suspension"})
    html = missing.content.decode()
    assert missing.status_code == 400
    assert "Enter the length of the suspension in sessions" in html
    assert "Select one, two or three reasons" in html
    from exclusions.models import ReasonCode

    codes = list(
        ReasonCode.objects.filter(code__in=["PP", "PA", "VP", "VA"]).values_list("pk", flat=True)
    )
    four = client.post(url, {"kind": "suspension", "reasons": codes, "sessions": "2"})
    assert "Select no more than three reasons" in four.content.decode()
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 3, 2, 15), tick=False):
        good = client.post(
            url,
            {"kind": "suspension", "start_date_0": "2", "start_date_1": "3", "start_date_2": "2026",
             "sessions": "3", "reasons": codes[:1], "description": "Fight at lunchtime",
             "parents_told_on_0": "2", "parents_told_on_1": "3", "parents_told_on_2": "2026",
             "parents_told_how": "Phone"},
        )  # fmt: skip
    assert good.status_code == 302
    assert Exclusion.objects.get().days == 1.5


def test_the_register_pages_newest_first_and_keeps_its_filters(
    client_for, member, school, staff, monkeypatch
):
    """A page of the register follows on from the last row of the one before (same-day
    exclusions by their order of entry), the filters ride along, and a mangled mark in the
    address starts again from the newest."""
    monkeypatch.setattr("exclusions.views.REGISTER_PAGE_SIZE", 2)
    made = [
        notify(staff, pupil_at(school), school, start=day)
        for day in [D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4), D(2026, 3, 2)]
    ]
    newest_first = sorted(made, key=lambda e: (e.start_date, e.pk), reverse=True)
    client = client_for(member(Role.EXCLUSIONS_OFFICER))
    url, seen = f"{reverse('exclusions:register')}?kind=suspension", []
    while url:
        response = client.get(url)
        seen += [e.pk for e in response.context["rows"]]
        mark = response.context["page"].next_mark
        assert len(response.context["rows"]) == (2 if mark else 1)
        url = f"{reverse('exclusions:register')}?kind=suspension&after={mark}" if mark else ""
        if mark:
            assert f"kind=suspension&amp;after={mark}" in response.content.decode()
    assert seen == [e.pk for e in newest_first]
    mangled = client.get(reverse("exclusions:register"), {"after": "not-a-date.x"})
    assert [e.pk for e in mangled.context["rows"]] == [e.pk for e in newest_first[:2]]
    assert mangled.context["page"].is_first

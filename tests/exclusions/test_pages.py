import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from exclusions.models import Exclusion
from pupils.models import CareStatus, SenStatus
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


def test_the_register_flags_counts_days_left_and_exports_through_the_access_log(
    client_for, member, school, staff
):
    import time_machine

    officer = member(Role.EXCLUSIONS_OFFICER)
    pupil = pupil_at(school, sen_status=SenStatus.EHCP)
    for start in (D(2026, 1, 12), D(2026, 2, 2), D(2026, 3, 2)):
        notify(staff, pupil, school, start=start, sessions=4)
    permanent = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    with time_machine.travel(datetime.datetime(2026, 3, 4, 9), tick=False):
        _register_journey(client_for(officer), officer, pupil, permanent)


def _register_journey(client, officer, pupil, permanent):
    import csv
    import io

    from audit.models import AccessLog

    page = client.get(reverse("exclusions:register"))
    html = page.content.decode()
    assert "EHCP" in html and "Repeat suspensions (3 this year)" in html
    assert "6 of 45 days this school year" in html
    row = next(r for r in page.context["rows"] if r.pk == permanent.pk)
    # Told on 2 March; on 4 March the board has 13 school days left of its 15.
    board = next(d for d in row.open_steps if d.kind.code == "board-consider")
    assert board.days_left == 13
    bad = client.get(reverse("exclusions:register"), {"from": "31/2/2026"})
    assert bad.status_code == 400
    assert "From must be a real date" in bad.content.decode()
    march = client.get(reverse("exclusions:register"), {"from": "1/3/2026", "to": "2026-03-31"})
    assert {r.start_date for r in march.context["rows"]} == {D(2026, 3, 2)}
    AccessLog.objects.all().delete()
    export = client.get(reverse("exclusions:register"), {"export": "csv", "from": "1/3/2026"})
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:3] == ["First day", "UPN", "Pupil"] and len(rows) == 3
    logged = AccessLog.objects.filter(user=officer, kind="export")
    assert set(logged.values_list("pupil_id", flat=True)) == {pupil.pk, permanent.pupil_id}


def _answer(client, pupil, slug, data):
    return client.post(reverse("exclusions:notice-question", args=[pupil.pk, slug]), data)


def test_the_notice_is_one_question_a_page_then_check_your_answers(client_for, school, staff):
    """GOV.UK question pages: each page asks one thing and says what is wrong with it; a
    suspension is asked its length, a permanent exclusion is not; nothing is sent until Check
    your answers."""
    import time_machine

    pupil = pupil_at(school)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 15), tick=False):
        _notice_journey(client_for(staff), pupil)


def _notice_journey(client, pupil):
    from exclusions.models import ReasonCode

    start = client.get(reverse("exclusions:notify", args=[pupil.pk]))
    assert start.url == reverse("exclusions:notice-question", args=[pupil.pk, "kind"])
    empty = _answer(client, pupil, "kind", {})
    assert empty.status_code == 400
    assert "Select suspension or permanent exclusion" in empty.content.decode()
    assert _answer(client, pupil, "kind", {"kind": "suspension"}).url.endswith("/start/")
    half_term = _answer(client, pupil, "start", {"start_date_0": "16", "start_date_1": "2",
                                                  "start_date_2": "2026"})  # fmt: skip
    assert half_term.status_code == 302  # a school day is the service's rule, checked at the end
    too_long = _answer(client, pupil, "length", {"sessions": "200"})
    assert "90 sessions (45 school days) or fewer" in too_long.content.decode()
    _answer(client, pupil, "length", {"sessions": "3"})
    codes = list(ReasonCode.objects.filter(code__in=["PP", "PA", "VP", "VA"])
                 .values_list("pk", flat=True))  # fmt: skip
    four = _answer(client, pupil, "reasons", {"reasons": codes})
    assert "Select no more than three reasons" in four.content.decode()
    _answer(client, pupil, "reasons", {"reasons": codes[:1]})
    _answer(client, pupil, "what-happened", {"description": "Fight at lunchtime"})
    no_date = _answer(client, pupil, "examination", {"misses_public_exam": "yes"})
    assert "Enter the date of the examination or test" in no_date.content.decode()
    _answer(client, pupil, "examination", {"misses_public_exam": "no"})
    _answer(
        client,
        pupil,
        "parents",
        {
            "parents_told_on_0": "2",
            "parents_told_on_1": "3",
            "parents_told_on_2": "2026",
            "parents_told_how": "Phone",
        },
    )
    _answer(
        client,
        pupil,
        "board",
        {
            "board_told_on_0": "2",
            "board_told_on_1": "3",
            "board_told_on_2": "2026",
            "board_told_how": "post",
        },
    )
    last = _answer(client, pupil, "work", {"work_set": ""})
    assert last.url == reverse("exclusions:notice-check", args=[pupil.pk])
    check = client.get(last.url)
    html = check.content.decode()
    assert "1.5 school days" in html and "By first class post" in html.replace(
        "by first", "By first"
    )
    assert not Exclusion.objects.exists()
    refused = client.post(last.url)
    assert refused.status_code == 400
    assert "must be a school day" in refused.content.decode()
    assert not Exclusion.objects.exists()
    _answer(client, pupil, "start", {"start_date_0": "2", "start_date_1": "3",
                                     "start_date_2": "2026"})  # fmt: skip
    sent = client.post(last.url)
    assert sent.status_code == 302
    exclusion = Exclusion.objects.get()
    assert (exclusion.days, exclusion.board_told_how) == (1.5, "post")
    assert client.get(reverse("exclusions:notify", args=[pupil.pk])).url.endswith("/kind/")


def test_a_permanent_exclusion_is_not_asked_its_length(client_for, school, staff):
    pupil = pupil_at(school)
    client = client_for(staff)
    _answer(client, pupil, "kind", {"kind": "permanent"})
    assert _answer(
        client, pupil, "start", {"start_date_0": "2", "start_date_1": "3", "start_date_2": "2026"}
    ).url.endswith("/reasons/")
    length = client.get(reverse("exclusions:notice-question", args=[pupil.pk, "length"]))
    assert length.status_code == 404


def test_the_exclusions_officer_records_one_a_school_phones_in(client_for, school, member):
    import time_machine

    from exclusions.models import ReasonCode

    officer = member(Role.EXCLUSIONS_OFFICER)
    pupil = pupil_at(school)
    client = client_for(officer)
    lookup = reverse("exclusions:record-for-school")
    unknown = client.get(lookup, {"upn": "A801200005001"})
    assert "No pupil with that UPN is on roll" in unknown.content.decode()
    found = client.get(lookup, {"upn": pupil.upn.lower()})
    assert found.url == reverse("exclusions:notify", args=[pupil.pk]) + "?start=new"
    answers = [
        ("kind", {"kind": "permanent"}),
        ("start", {"start_date_0": "2", "start_date_1": "3", "start_date_2": "2026"}),
        ("reasons", {"reasons": [ReasonCode.objects.get(code="PA").pk]}),
        ("what-happened", {"description": "Assault on a teacher"}),
        ("examination", {"misses_public_exam": "no"}),
        ("parents", {"parents_told_on_0": "2", "parents_told_on_1": "3",
                     "parents_told_on_2": "2026", "parents_told_how": "Phone"}),
        ("board", {"board_told_on_0": "2", "board_told_on_1": "3", "board_told_on_2": "2026",
                   "board_told_how": "email"}),
        ("work", {"work_set": "Maths and English packs"}),
    ]  # fmt: skip
    for slug, data in answers:
        assert _answer(client, pupil, slug, data).status_code == 302, slug
    check = reverse("exclusions:notice-check", args=[pupil.pk])
    assert f"for {school.name}" in client.get(check).content.decode()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 15), tick=False):
        assert client.post(check).status_code == 302
    exclusion = Exclusion.objects.get()
    assert exclusion.recorded_by_la and exclusion.school == school
    detail = client_for(officer).get(exclusion.get_absolute_url()).content.decode()
    assert "exclusions officer, for the school" in detail


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

"""Each figure against a small data set whose answers are worked out by hand below."""

import datetime
import io

import pytest
from django.urls import reverse

from accounts.models import Role
from cases.models import ClosureReason, Evaluation, Review
from reporting.figures import ServiceReport
from reporting.quarters import Quarter
from reporting.suppression import suppress
from tests.cases.factories import (
    CaseClosedFactory,
    CaseOpenFactory,
    ContactFactory,
    ServiceSettingsFactory,
)
from tests.exclusions.factories import SuspensionFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import (
    ReferralAllocatedFactory,
    ReferralDeclinedFactory,
    ReferralRedirectedFactory,
    ReferralSubmittedFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db
JAN_TO_MAR = Quarter(D(2026, 1, 1))


def at(day: D, hour=12):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def data(types, school, member, orgs):
    """BASS (which screens its own referrals) in January to March 2026; the numbers each test
    expects are worked out here:

    referrals received 10 Jan (accepted 12 Jan, allocated 20 Jan: in target, 10 days),
    1 Feb (declined), 10 Feb (redirected), 5 Jan (accepted, allocated 5 Feb: missed, 31 days),
    31 Mar (waiting) and 1 Apr (the next quarter); a case opened in November and closed on 20
    February (4 contacts, rated 5), one opened 5 February and closed 5 March (2 contacts, rated 4),
    one opened 20 January still open."""
    ServiceSettingsFactory(service=orgs["bass"], minimum_contacts=10)
    caseworker = member(Role.CASEWORKER, organisation=orgs["bass"])
    manager = member(Role.SERVICE_MANAGER, organisation=orgs["bass"])

    def referral(submitted, state=ReferralSubmittedFactory, **fields):
        return state(
            referral_type=types["bass"], pupil=pupil_at(school), school=school,
            submitted_at=at(submitted), **fields,
        )  # fmt: skip

    r1 = referral(D(2026, 1, 10), ReferralAllocatedFactory, decided_at=at(D(2026, 1, 12)),
                  allocated_at=at(D(2026, 1, 20)), allocation_target_met=True)  # fmt: skip
    referral(D(2026, 2, 1), ReferralDeclinedFactory, decided_at=at(D(2026, 2, 3)))
    referral(D(2026, 2, 10), ReferralRedirectedFactory, decided_at=at(D(2026, 2, 11)))
    r6 = referral(D(2026, 1, 5), ReferralAllocatedFactory, decided_at=at(D(2026, 1, 6)),
                  allocated_at=at(D(2026, 2, 5)), allocation_target_met=False)  # fmt: skip
    referral(D(2026, 3, 31))
    referral(D(2026, 4, 1))
    r0 = referral(D(2025, 10, 1), ReferralAllocatedFactory, decided_at=at(D(2025, 10, 2)),
                  allocated_at=at(D(2025, 11, 3)), allocation_target_met=True)  # fmt: skip
    c0 = CaseClosedFactory(referral=r0, caseworker=caseworker, opened_on=D(2025, 11, 3),
                           closed_on=D(2026, 2, 20),
                           closure_reason=ClosureReason.SCHOOL_CAN_DELIVER)  # fmt: skip
    c1 = CaseOpenFactory(referral=r1, caseworker=caseworker, opened_on=D(2026, 1, 20))
    c2 = CaseClosedFactory(
        referral=r6,
        caseworker=caseworker,
        opened_on=D(2026, 2, 5),
        closed_on=D(2026, 3, 5),
        closure_reason=ClosureReason.RISK_REDUCED,
    )
    for _ in range(4):
        ContactFactory(case=c0, recorded_by=caseworker)
    for _ in range(2):
        ContactFactory(case=c2, recorded_by=caseworker)
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    Evaluation.objects.create(case=c0, respondent="school", rating=5, recorded_by=senco)
    Evaluation.objects.create(case=c2, respondent="school", rating=4, recorded_by=senco)
    Review.objects.create(case=c0, quarter_start=D(2026, 1, 1), decision="continue",
                          decided_at=at(D(2026, 1, 10)))  # fmt: skip
    Review.objects.create(case=c1, quarter_start=D(2026, 1, 1), decision="continue",
                          decided_at=at(D(2026, 1, 25)))  # fmt: skip
    # A year earlier: two cases closed in January to March 2025; one pupil suspended again.
    for closed, again in [(D(2025, 2, 10), True), (D(2025, 3, 1), False)]:
        old = referral(D(2024, 9, 10), ReferralAllocatedFactory, decided_at=at(D(2024, 9, 11)))
        case = CaseClosedFactory(
            referral=old,
            caseworker=caseworker,
            opened_on=D(2024, 9, 20),
            closed_on=closed,
            closure_reason=ClosureReason.RISK_REDUCED,
        )
        if again:
            SuspensionFactory(pupil=case.pupil, school=school, start_date=D(2025, 6, 2),
                              created_by=senco)  # fmt: skip
    return {"manager": manager, "open": c1}


def values(report):
    return {figure.key: figure.value for figure in report.figures()}


def test_each_figure_against_the_hand_worked_answer(data, orgs):
    figures = values(ServiceReport(data["manager"], [orgs["bass"].pk], JAN_TO_MAR))
    assert figures["received"] == 5
    assert (figures["accepted"], figures["declined"], figures["redirected"]) == (2, 1, 1)
    assert figures["allocated"] == 2
    assert figures["in_target"] == "1 of 2 (50%)"
    assert figures["median_days"] == 20.5
    assert (figures["open_at_start"], figures["open_at_end"], figures["closed"]) == (1, 1, 2)
    assert figures["contacts_per_case"] == 3.0
    assert figures["weeks_per_case"] == 9.8  # (109 days + 28 days) / 2 / 7
    assert figures["not_excluded_again"] == "1 of 2 (50%)"
    assert figures["satisfaction"] == 4.5
    assert figures["reviews_on_time"] == "1 of 2 (50%)"


def test_a_quarter_boundary_31_march_and_1_april(data, orgs):
    april = values(ServiceReport(data["manager"], [orgs["bass"].pk], JAN_TO_MAR.next()))
    assert april["received"] == 1
    march = ServiceReport(data["manager"], [orgs["bass"].pk], JAN_TO_MAR).records("received")
    assert D(2026, 3, 31) in {r.submitted_at.date() for r in march}


def test_breakdowns_and_the_trend(data, orgs):
    report = ServiceReport(data["manager"], [orgs["bass"].pk], JAN_TO_MAR)
    tables = {b.key: dict(b.rows) for b in report.breakdowns()}
    assert tables["by_type"] == {"BASS individual": 5}
    assert sum(tables["by_year_group"].values()) == 5
    assert tables["closed_by_reason"] == {
        "Risk of exclusion reduced": 1,
        "School able to deliver the provision without the service": 1,
    }
    assert dict(report.trend()) == {"Apr to Jun 25": 0, "Jul to Sep 25": 0, "Oct to Dec 25": 1,
                                    "Jan to Mar 26": 5}  # fmt: skip


def test_the_drill_down_matches_the_figure(client_for, data, orgs):
    client = client_for(data["manager"])
    query = {"service": orgs["bass"].pk, "quarter": "2026-01"}
    page = client.get(reverse("reporting:services"), query)
    assert 'data-testid="figure-received"' in page.content.decode()
    received = next(f for f in page.context["figures"] if f.key == "received")
    drill = client.get(reverse("reporting:drill", args=["services", "received"]), query)
    assert len(drill.context["records"]) == received.value == 5


def test_suppression_hides_small_numbers_and_the_cell_that_would_give_them_away():
    shown, total = suppress([("A", 3), ("B", 10), ("C", 20)])
    assert shown == [("A", "fewer than 6"), ("B", "withheld"), ("C", 20)]
    assert total == 33
    shown, _ = suppress([("A", 3), ("B", 2), ("C", 20)])
    assert shown == [("A", "fewer than 6"), ("B", "fewer than 6"), ("C", 20)]
    shown, total = suppress([("A", 0), ("B", 4)])
    assert shown == [("A", 0), ("B", "fewer than 6")] and total == "fewer than 6"


def test_anonymised_export_has_no_names_and_suppresses(client_for, data, orgs):
    import csv

    client = client_for(data["manager"])
    response = client.get(
        reverse("reporting:export", args=["services", "by_school", "csv"]),
        {"service": orgs["bass"].pk, "quarter": "2026-01", "anonymised": "1"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][1] == "fewer than 6"  # one school, five referrals
    assert rows[-1] == ["Total", "fewer than 6"]
    xlsx = client.get(
        reverse("reporting:export", args=["services", "by_type", "xlsx"]),
        {"service": orgs["bass"].pk, "quarter": "2026-01"},
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]] == ["BASS individual", 5]


def test_a_manager_cannot_drill_into_an_arms_length_service(
    client_for, member, orgs, types, school
):
    ServiceSettingsFactory(service=orgs["behaviour-officer"], confidential=True)
    officer = member(Role.CASEWORKER, organisation=orgs["behaviour-officer"])
    referral = ReferralAllocatedFactory(
        referral_type=types["bex2"],
        pupil=pupil_at(school),
        school=school,
        submitted_at=at(D(2026, 1, 10)),
    )
    CaseOpenFactory(referral=referral, caseworker=officer, confidential=True,
                    opened_on=D(2026, 1, 12))  # fmt: skip
    boss_manager = member(Role.SERVICE_MANAGER, organisation=orgs["boss"])
    query = {"service": orgs["behaviour-officer"].pk, "quarter": "2026-01"}
    drill = client_for(boss_manager).get(
        reverse("reporting:drill", args=["services", "open_at_end"]), query
    )
    assert list(drill.context["records"]) == []
    la_manager = member(Role.LA_MANAGER)
    la_view = ServiceReport(la_manager, [orgs["behaviour-officer"].pk], JAN_TO_MAR)
    assert values(la_view)["open_at_end"] == 0  # arm's length: not even counted
    own_manager = member(Role.SERVICE_MANAGER, organisation=orgs["behaviour-officer"])
    assert (
        values(ServiceReport(own_manager, [orgs["behaviour-officer"].pk], JAN_TO_MAR))[
            "open_at_end"
        ]
        == 1
    )


def test_the_dashboard_runs_a_fixed_number_of_queries(
    client_for, data, orgs, django_assert_max_num_queries
):
    client = client_for(data["manager"])
    query = {"service": orgs["bass"].pk, "quarter": "2026-01"}
    client.get(reverse("reporting:services"), query)
    with django_assert_max_num_queries(45):
        client.get(reverse("reporting:services"), query)


def test_the_json_view_gives_the_same_figures(client_for, data, orgs):
    response = client_for(data["manager"]).get(
        reverse("reporting:services-json"), {"service": orgs["bass"].pk, "quarter": "2026-01"}
    )
    body = response.json()
    assert body["figures"]["received"] == 5
    assert body["breakdowns"]["by_type"] == {"BASS individual": 5}


def test_only_managers_see_the_dashboards(client_for, member, orgs):
    caseworker = member(Role.CASEWORKER, organisation=orgs["bass"])
    assert client_for(caseworker).get(reverse("reporting:services")).status_code == 403
    assert client_for(caseworker).get(reverse("reporting:exclusions")).status_code == 403


def test_an_la_manager_sees_all_services_together(client_for, data, member, orgs):
    la_manager = member(Role.LA_MANAGER)
    page = client_for(la_manager).get(
        reverse("reporting:services"), {"service": "all", "quarter": "2026-01"}
    )
    received = next(f for f in page.context["figures"] if f.key == "received")
    assert received.value == 5
    assert "All services" in page.content.decode()


COUNTS = ["received", "accepted", "declined", "redirected", "allocated", "open_at_start",
          "open_at_end", "closed"]  # fmt: skip


def test_every_la_manager_figure_is_the_sum_of_the_services_own(
    client_for, data, member, orgs, types, school
):
    """The LA manager's figures were 0 for cases and part-time timetables while the BOSS
    manager saw their own: each count for All services is the sum of what each service's own
    manager sees, and the LA manager lands on All services."""
    from tests.plans.factories import TimetableActiveFactory

    boss_manager = member(Role.SERVICE_MANAGER, organisation=orgs["boss"])
    boss_referral = ReferralAllocatedFactory(
        referral_type=types["boss"],
        pupil=pupil_at(school),
        school=school,
        submitted_at=at(D(2026, 1, 12)),
        decided_at=at(D(2026, 1, 13)),
        allocated_at=at(D(2026, 1, 19)),
        allocation_target_met=True,
    )
    CaseOpenFactory(referral=boss_referral, caseworker=member(Role.CASEWORKER,
                    organisation=orgs["boss"]), opened_on=D(2026, 1, 19))  # fmt: skip
    TimetableActiveFactory(pupil=pupil_at(school), school=school, start_date=D(2026, 1, 12),
                           end_date=D(2026, 3, 27), created_by=member(Role.SCHOOL_STAFF,
                           organisation=school.organisation))  # fmt: skip
    la_manager = member(Role.LA_MANAGER)
    page = client_for(la_manager).get(reverse("reporting:services"), {"quarter": "2026-01"})
    assert page.context["service"].name == "All services"
    shown = {f.key: f.value for f in page.context["figures"]}
    own = [
        values(ServiceReport(data["manager"], [orgs["bass"].pk], JAN_TO_MAR)),
        values(ServiceReport(boss_manager, [orgs["boss"].pk], JAN_TO_MAR)),
    ]
    for key in COUNTS:
        assert shown[key] == sum(figures[key] for figures in own), key
    assert shown["open_at_end"] == 2  # BASS's one and BOSS's one
    assert shown["timetables_active"] == 1


def test_the_quarterly_report_pdf_holds_the_figures(client_for, data, orgs):
    import pypdf

    response = client_for(data["manager"]).get(
        reverse("reporting:services-pdf"), {"service": orgs["bass"].pk, "quarter": "2026-01"}
    )
    assert response["Content-Type"] == "application/pdf"
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Referrals received 5" in text
    assert "BASS individual 5" in text


def test_every_breakdown_cell_drills_down_to_its_records(client_for, data, orgs):
    client = client_for(data["manager"])
    query = {"service": orgs["bass"].pk, "quarter": "2026-01"}
    page = client.get(reverse("reporting:services"), query)
    for breakdown in page.context["breakdowns"]:
        for _label, count, raw in breakdown.cells:
            drill = client.get(
                reverse("reporting:drill", args=["services", "cell"]),
                {**query, "by": breakdown.key, "value": raw},
            )
            assert len(drill.context["records"]) == count, (breakdown.key, raw)


def test_last_year_s_figures_are_read_once_then_kept(data, orgs, member):
    """The comparison quarter is long closed: a second look reads only this quarter, and
    another user's look (who may see different records) reads last year afresh."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report = ServiceReport(data["manager"], [orgs["bass"].pk], JAN_TO_MAR)
    cache.delete_many(
        [f"reporting:figures:{data['manager'].pk}:{orgs['bass'].pk}:{JAN_TO_MAR.year_before().key}"]
    )
    with CaptureQueriesContext(connection) as first:
        with_last_year = report.figures_with_last_year()
    with CaptureQueriesContext(connection) as this_quarter_only:
        report.figures()
    with CaptureQueriesContext(connection) as second:
        again = report.figures_with_last_year()
    assert len(second) == len(this_quarter_only) < len(first)
    by_key = {figure.key: figure.last_year for figure in again}
    assert by_key == {figure.key: figure.last_year for figure in with_last_year}
    assert by_key["closed"] == 2  # the two cases closed in January to March 2025
    colleague = member(Role.SERVICE_MANAGER, organisation=orgs["bass"])
    with CaptureQueriesContext(connection) as theirs:
        ServiceReport(colleague, [orgs["bass"].pk], JAN_TO_MAR).figures_with_last_year()
    assert len(theirs) >= len(first)


def test_exported_cells_that_look_like_formulas_stay_text():
    """A school or pupil named "=HYPERLINK(…)" becomes a formula when a CSV or Excel file is
    opened; exports keep such cells as text, and numbers as numbers."""
    import csv

    from openpyxl import load_workbook

    from config.exports import respond

    rows = [["School", "Count"], ['=HYPERLINK("http://evil.example","x")', 3], ["@SUM(A1)", -2],
            ["+44 1234", 1], ["-x", 0], ["Beckfield", 4]]  # fmt: skip
    text = respond(rows, filename="by_school", fmt="csv").content.decode()
    cells = [row[0] for row in csv.reader(io.StringIO(text))]
    assert cells[1:5] == [
        '\'=HYPERLINK("http://evil.example","x")',
        "'@SUM(A1)",
        "'+44 1234",
        "'-x",
    ]
    assert cells[5] == "Beckfield"
    sheet = load_workbook(
        io.BytesIO(respond(rows, filename="by_school", fmt="xlsx").content)
    ).active
    assert sheet["A2"].value.startswith("'=") and sheet["A2"].data_type == "s"
    assert sheet["B3"].value == -2


def test_two_small_cells_that_the_total_would_give_away_are_protected():
    """The hole: Beckfield 1, Riverside 1, Birchwood 9 was shown as "fewer than 6 / fewer
    than 6 / 9 / total 11": the two hidden cells had to add up to 2, so each was 1."""
    shown, total = suppress([("Beckfield", 1), ("Riverside", 1), ("Birchwood", 9)])
    assert shown == [
        ("Beckfield", "fewer than 6"),
        ("Riverside", "fewer than 6"),
        ("Birchwood", "withheld"),
    ]
    assert total == 11


def values_a_reader_could_fit(shown, total, threshold, limit):
    """Every set of counts consistent with what an export shows: "fewer than N" is 1 to N-1,
    "withheld" is N or more (up to ``limit``), a shown total is the sum."""
    import itertools

    choices = []
    for _, value in shown:
        if value == f"fewer than {threshold}":
            choices.append(range(1, threshold))
        elif value == "withheld":
            choices.append(range(threshold, limit + 1))
        else:
            choices.append([value])
    for candidate in itertools.product(*choices):
        if isinstance(total, int) and sum(candidate) != total:
            continue
        if total == f"fewer than {threshold}" and not 0 < sum(candidate) < threshold:
            continue
        yield candidate


def test_no_suppressed_cell_can_be_worked_out_from_the_rest():
    """A solver over every table of up to four cells with counts 0 to 12: for each hidden
    cell, at least two values fit everything the export shows."""
    import itertools

    threshold, largest = 6, 12
    for size in range(1, 5):
        for counts in itertools.product(range(largest + 1), repeat=size):
            rows = [(f"School {i}", count) for i, count in enumerate(counts)]
            shown, total = suppress(rows, threshold=threshold)
            hidden = [i for i, (_, value) in enumerate(shown) if isinstance(value, str)]
            if not hidden:
                continue
            fits = list(values_a_reader_could_fit(shown, total, threshold, largest * size))
            assert tuple(counts) in fits, (counts, shown, total)
            for i in hidden:
                assert len({fit[i] for fit in fits}) >= 2, (counts, shown, total, i)


def test_the_la_manager_s_home_page_gives_the_quarter_s_headline_against_last_year(
    client_for, data, member
):
    """On 20 March 2026 the LA manager lands on January to March 2026 for all services: the
    same counts as the dashboard's, each beside January to March 2025."""
    import time_machine

    la_manager = member(Role.LA_MANAGER)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 9, 0), tick=False):
        client = client_for(la_manager)
        headline = client.get(reverse("accounts:home")).context["headline"]
        dashboard = client.get(reverse("reporting:services"), {"service": "all"})
    figures = {f.key: f.value for f in dashboard.context["figures"]}
    assert headline["quarter"] == JAN_TO_MAR
    assert [f.key for f in headline["figures"]] == [
        "received", "accepted", "allocated", "open_at_end", "closed",
    ]  # fmt: skip
    assert {f.key: f.value for f in headline["figures"]} == {
        key: figures[key] for key in ["received", "accepted", "allocated", "open_at_end", "closed"]
    }
    assert figures["received"] == 5
    # January to March 2025: nothing received, accepted or allocated; two cases closed.
    assert [f.last_year for f in headline["figures"]] == [0, 0, 0, 0, 2]

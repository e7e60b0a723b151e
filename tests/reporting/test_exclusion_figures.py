import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from deadlines.codes import KindCode
from deadlines.models import DeadlineKind
from exclusions.models import ReasonCode
from reporting.exclusion_report import ExclusionReport
from reporting.quarters import Quarter
from tests.deadlines.factories import DeadlineMetFactory, DeadlineMissedFactory
from tests.exclusions.factories import PermanentExclusionFactory, SuspensionFactory
from tests.pupils.factories import pupil_at

D = datetime.date
pytestmark = pytest.mark.django_db


def test_the_exclusions_picture_worked_by_hand(client_for, member, school):
    """Two suspensions (DB, then PA) of one pupil and a permanent exclusion (PA) of another in
    January to March 2026, one suspension on 1 April; one statutory deadline met, one missed."""
    staff = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    officer = member(Role.EXCLUSIONS_OFFICER)
    first_pupil, second_pupil = pupil_at(school), pupil_at(school)
    on_roll = 2  # the fixture school's roll: just these two pupils

    def exclusion(pupil, start, code, state=SuspensionFactory):
        record = state(pupil=pupil, school=school, start_date=start, created_by=staff)
        record.reasons.set(ReasonCode.objects.filter(code=code))
        return record

    exclusion(first_pupil, D(2026, 1, 12), "DB")
    exclusion(first_pupil, D(2026, 3, 2), "PA")
    permanent = exclusion(second_pupil, D(2026, 2, 2), "PA", PermanentExclusionFactory)
    exclusion(first_pupil, D(2026, 4, 1), "DB")
    kind = DeadlineKind.objects.get(code=KindCode.BOARD_CONSIDER)
    for state, due in [
        (DeadlineMetFactory, D(2026, 2, 20)),
        (DeadlineMissedFactory, D(2026, 3, 10)),
    ]:
        state(
            about=permanent, kind=kind, pupil=second_pupil, school=school, title="Board",
            start_date=D(2026, 2, 2), length=15, due_date=due, owner_user=None,
            owner_organisation=school.organisation,
        )  # fmt: skip
    report = ExclusionReport(officer, Quarter(D(2026, 1, 1)))
    figures = {f.key: f.value for f in report.figures()}
    assert (figures["suspensions"], figures["permanent"], figures["pupils"]) == (2, 1, 2)
    assert figures["rate"] == round(100 * 3 / on_roll, 2)
    assert (figures["deadlines_met"], figures["deadlines_missed"]) == (1, 1)
    tables = {b.key: dict(b.rows) for b in report.breakdowns()}
    assert tables["by_reason"] == {"PA": 2, "DB": 1}
    drill = client_for(officer).get(
        reverse("reporting:drill", args=["exclusions", "suspensions"]), {"quarter": "2026-01"}
    )
    assert len(drill.context["records"]) == figures["suspensions"]
    page = client_for(officer).get(reverse("reporting:exclusions"), {"quarter": "2026-01"})
    for breakdown in page.context["breakdowns"]:
        for _label, count, raw in breakdown.cells if breakdown.values else []:
            cell = client_for(officer).get(
                reverse("reporting:drill", args=["exclusions", "cell"]),
                {"quarter": "2026-01", "by": breakdown.key, "value": raw},
            )
            assert len(cell.context["records"]) == count, (breakdown.key, raw)
    colleague = member(Role.EXCLUSIONS_OFFICER)  # the same authority sees the same register
    assert ExclusionReport(colleague, Quarter(D(2026, 1, 1))).figures()[0].value == 2
    school_staff_view = ExclusionReport(member(Role.CASEWORKER), Quarter(D(2026, 1, 1)))
    assert school_staff_view.figures()[0].value == 0

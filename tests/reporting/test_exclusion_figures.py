import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import Role
from deadlines.codes import KindCode
from deadlines.models import Deadline, DeadlineKind
from exclusions.models import Exclusion, ReasonCode
from reporting.exclusion_report import ExclusionReport
from reporting.quarters import Quarter
from tests.exclusions.factories import SuspensionFactory
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

    def exclusion(pupil, start, code, **fields):
        record = SuspensionFactory(pupil=pupil, school=school, start_date=start,
                                   created_by=staff, **fields)  # fmt: skip
        record.reasons.set(ReasonCode.objects.filter(code=code))
        return record

    exclusion(first_pupil, D(2026, 1, 12), "DB")
    exclusion(first_pupil, D(2026, 3, 2), "PA")
    permanent = exclusion(second_pupil, D(2026, 2, 2), "PA", kind="permanent", sessions=None)
    exclusion(first_pupil, D(2026, 4, 1), "DB")
    kind = DeadlineKind.objects.get(code=KindCode.BOARD_CONSIDER)
    for status, due in [("met", D(2026, 2, 20)), ("missed", D(2026, 3, 10))]:
        Deadline.objects.create(
            kind=kind, subject_type=ContentType.objects.get_for_model(Exclusion),
            subject_id=permanent.pk, title="Board", start_date=D(2026, 2, 2), length=15,
            counting="school_days", due_date=due, counting_note="", status=status,
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

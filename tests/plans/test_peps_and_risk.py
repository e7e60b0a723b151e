import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from config.errors import DomainError
from deadlines.calendar import SchoolCalendar
from plans import services
from pupils.models import CareStatus
from tests.pupils.factories import pupil_at

D = datetime.date
pytestmark = pytest.mark.django_db


def test_whole_terms_join_their_half_terms(school):
    """Seed 002: a Personal Education Plan meeting every term means every whole term (autumn,
    spring, summer), each of two half terms."""
    calendar = SchoolCalendar(school)
    assert calendar.whole_term_of(D(2025, 12, 15)) == ("autumn", D(2025, 9, 3), D(2025, 12, 19))
    assert calendar.whole_term_of(D(2025, 12, 29))[0] == "autumn"  # holiday: the term just ended
    assert calendar.whole_term_of(D(2026, 1, 6))[0] == "spring"
    assert calendar.whole_term_of(D(2026, 8, 31))[0] == "summer"  # the summer holiday
    assert calendar.whole_term_of(D(2026, 9, 1))[0] == "autumn"


def test_the_pep_this_term_list_across_a_term_boundary(client_for, member, orgs, school, senco):
    """Seed 002: the virtual school sees which looked-after children have had their PEP meeting this
    term, across a term boundary."""
    officer = member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=orgs["virtual-school"])
    met = pupil_at(school, legal_first_name="Met", care_status=CareStatus.LOOKED_AFTER)
    never = pupil_at(school, legal_first_name="Never", care_status=CareStatus.LOOKED_AFTER)
    pupil_at(school, legal_first_name="Ordinary")
    with time_machine.travel(datetime.datetime(2025, 12, 15, 10), tick=False):
        services.record_pep_meeting(
            senco, pupil=met, school=school, date=D(2025, 12, 15),
            attendees="Designated teacher, social worker, carer", targets="Reading age +1",
        )  # fmt: skip
        autumn = client_for(officer).get(reverse("plans:peps"))
    assert [row[0] for row in autumn.context["rows"]] == [never]
    with time_machine.travel(datetime.datetime(2026, 1, 6, 10), tick=False):
        spring = client_for(officer).get(reverse("plans:peps"))
    assert {row[0] for row in spring.context["rows"]} == {met, never}
    assert {row[2] for row in spring.context["rows"]} == {"spring"}


def test_pep_meetings_are_for_looked_after_pupils(senco, school):
    """Seed 002: PEP meetings are for looked-after children only."""
    with pytest.raises(DomainError, match="for looked-after pupils"):
        services.record_pep_meeting(
            senco, pupil=pupil_at(school), school=school, date=D(2026, 3, 2),
            attendees="x", targets="y",
        )  # fmt: skip


def test_only_the_virtual_school_sees_the_pep_list(client_for, senco):
    """Seed 002: the PEP list is the virtual school's."""
    assert client_for(senco).get(reverse("plans:peps")).status_code == 403


def test_a_risk_assessment_records_who_it_was_shared_with(client_for, senco, pupil, school):
    """Seed 002 ("risk, health, and safety assessments should be carried out using a trauma-informed
    approach"): the assessment records when it was shared with the pupil, the parents and staff."""
    response = client_for(senco).post(
        reverse("plans:new-risk", args=[pupil.pk]),
        {"triggers": "Loud corridors", "early_signs": "Pacing", "de_escalation": "Quiet room",
         "support_measures": "Key adult", "review_date_0": "30", "review_date_1": "3",
         "review_date_2": "2026", "shared_with_pupil_on_0": "2", "shared_with_pupil_on_1": "3",
         "shared_with_pupil_on_2": "2026"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client_for(senco).get(response.url).content.decode()
    assert "The pupil: 2 Mar 2026; parents: not yet" in page
    assert "Loud corridors" in page

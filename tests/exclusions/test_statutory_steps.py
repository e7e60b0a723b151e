"""The statutory steps, as worked examples on the fixture calendars (tests/conftest.py):
the authority's 2025 to 2026 year (Easter holiday 30 March to 10 April 2026, February half term
16 to 20 February, May half term 25 to 29 May, May Day 4 May in term) and an academy whose Easter
holiday starts later, with Easter Monday inside its summer term."""

import datetime

import pytest
import time_machine

from accounts.models import Role
from config.errors import DomainError
from deadlines.codes import KindCode
from deadlines.models import Notification
from deadlines.selectors import deadlines_of
from exclusions import services
from exclusions.models import ReasonCode
from pupils.models import CareStatus, SenStatus
from tests.exclusions.factories import SuspensionFactory
from tests.pupils.factories import pupil_at

D = datetime.date
pytestmark = pytest.mark.django_db


def notify(actor, pupil, school, kind="suspension", *, start, told=None, **fields):
    defaults = {
        "sessions": 2 if kind == "suspension" else None,
        "description": "Threatened a member of staff",
        "parents_told_on": start,
        "parents_told_how": "Phone call and letter",
        "misses_public_exam": False,
    }
    moment = datetime.datetime.combine(told or start, datetime.time(15))
    with time_machine.travel(moment, tick=False):
        return services.notify_exclusion(
            actor, pupil=pupil, school=school, kind=kind,
            reasons=ReasonCode.objects.filter(code="VA"), start_date=start,
            **{**defaults, **fields},
        )  # fmt: skip


def due(exclusion, kind):
    return deadlines_of(exclusion, kind).get().due_date


def has(exclusion, kind):
    return deadlines_of(exclusion, kind).exists()


@pytest.fixture
def staff(school, member):
    return member(Role.SCHOOL_STAFF, organisation=school.organisation)


@pytest.mark.parametrize(
    ("told", "expected"),
    [
        (D(2026, 3, 2), D(2026, 3, 23)),  # within one half term
        (D(2026, 3, 16), D(2026, 4, 20)),  # across the Easter holiday
        (D(2026, 2, 9), D(2026, 3, 9)),  # across the February half term
    ],
)
def test_permanent_exclusion_board_meets_within_15_school_days(school, staff, told, expected):
    """The 2012 Regulations, regulation 6(3)(a) (24 for academies): the governing board considers
    a permanent exclusion within 15 school days of receiving the head's notice, counted on the
    school's calendar."""
    exclusion = notify(staff, pupil_at(school), school, "permanent", start=told)
    assert due(exclusion, "board-consider") == expected


def test_permanent_exclusion_sixth_day_is_the_la_s(school, staff):
    """The 2007 Regulations: from the sixth school day of a permanent exclusion the local authority
    provides full-time education, so the deadline is the authority's."""
    exclusion = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    sixth = deadlines_of(exclusion, KindCode.SIXTH_DAY).get()
    assert sixth.due_date == D(2026, 3, 9)
    assert sixth.owner_role == Role.EXCLUSIONS_OFFICER


def test_sixth_day_of_a_suspension_after_a_half_term(school, staff):
    """The 2007 Regulations: the school provides full-time education from the sixth consecutive
    school day of a suspension; a half term's holiday is not a school day and does not count."""
    exclusion = notify(staff, pupil_at(school), school, start=D(2026, 2, 11), sessions=16)
    # Day 1 Wed 11 Feb, 12, 13, half term, 23, 24: the sixth day is Wednesday 25 February.
    assert due(exclusion, "sixth-day") == D(2026, 2, 25)


def test_a_five_day_suspension_has_no_sixth_day_step(school, staff):
    """The 2007 Regulations: a suspension of five school days or fewer has no sixth day, so no
    provision is due."""
    exclusion = notify(staff, pupil_at(school), school, start=D(2026, 3, 2), sessions=10)
    assert not has(exclusion, "sixth-day")


def test_over_15_days_in_a_term_brings_the_board_in(school, staff):
    """The 2012 Regulations, regulation 6(3)(a): suspensions totalling more than 15 school
    days in a term bring the governing board in, within 15 school days of notice."""
    pupil = pupil_at(school)
    SuspensionFactory(pupil=pupil, school=school, start_date=D(2026, 1, 12), sessions=20,
                      created_by=staff)  # fmt: skip
    second = notify(staff, pupil, school, start=D(2026, 3, 2), sessions=12)  # 16 days in spring
    assert due(second, "board-consider") == D(2026, 3, 23)


def test_15_days_or_fewer_in_a_term_needs_no_board_meeting(school, staff):
    """The 2012 Regulations, regulation 6: 15 school days or fewer in a term need no board meeting
    unless the parents ask."""
    pupil = pupil_at(school)
    SuspensionFactory(pupil=pupil, school=school, start_date=D(2025, 11, 3), sessions=20,
                      created_by=staff)  # autumn: a different term  # fmt: skip
    exclusion = notify(staff, pupil, school, start=D(2026, 3, 2), sessions=12)
    assert not has(exclusion, "board-consider")


def test_a_missed_public_examination_brings_the_board_in(school, staff):
    """The 2012 Regulations, regulation 6(3)(a) and (5): an exclusion that means missing a public
    examination brings the board in, before the examination where reasonably practicable."""
    exclusion = notify(
        staff, pupil_at(school), school, start=D(2026, 5, 11), sessions=2,
        misses_public_exam=True, exam_date=D(2026, 6, 15),
    )  # fmt: skip
    # 12 May to 22 May is 9 school days, the half term, then 1 to 8 June: Monday 8 June.
    assert due(exclusion, "board-consider") == D(2026, 6, 8)


def test_parents_asking_over_5_days_the_board_meets_within_50_school_days(school, staff):
    """The 2012 Regulations, regulation 6: within 50 school days of the board *receiving notice
    of the suspension* (23 February), not of the parents' request a week later."""
    exclusion = notify(staff, pupil_at(school), school, start=D(2026, 2, 23), sessions=14)
    services.parents_ask_board(staff, exclusion, asked_on=D(2026, 3, 2))
    # Over Easter and May Day: Tuesday 19 May (from the request it would be 2 June).
    assert due(exclusion, "board-consider-requested") == D(2026, 5, 19)


def test_parents_asking_5_days_or_fewer_the_board_cannot_reinstate(school, staff):
    """The 2012 Regulations, regulation 6: for 5 school days or fewer in a term the board
    must consider the parents' representations but cannot direct reinstatement; for 6 to 15 it
    meets within 50 school days if they ask."""
    exclusion = notify(staff, pupil_at(school), school, start=D(2026, 3, 2), sessions=6)
    services.parents_ask_board(staff, exclusion, asked_on=D(2026, 3, 3))
    assert not has(exclusion, "board-consider-requested")
    with pytest.raises(DomainError, match="cannot reinstate"):
        services.record_board_decision(
            staff, exclusion, reinstate=True, decided_on=D(2026, 3, 10),
            parents_told_on=D(2026, 3, 10),
        )  # fmt: skip


def test_independent_review_application_across_easter(school, staff):
    """The 2012 Regulations, Schedule 1 paragraph 2: parents apply for an independent review within
    15 school days of the board's notice; the Easter holiday does not count."""
    exclusion = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    services.record_board_decision(
        staff, exclusion, reinstate=False, decided_on=D(2026, 3, 18),
        parents_told_on=D(2026, 3, 19),
    )  # fmt: skip
    assert due(exclusion, "review-application") == D(2026, 4, 23)
    services.apply_for_review(staff, exclusion, applied_on=D(2026, 3, 27), sen_expert=True)
    assert due(exclusion, "panel-meeting") == D(2026, 5, 1)
    services.record_panel_decision(
        staff, exclusion, decision="quash", decided_on=D(2026, 5, 14), board_told_on=D(2026, 5, 15)
    )
    assert due(exclusion, "board-reconsider") == D(2026, 6, 5)


def test_a_late_review_application_is_refused(school, staff):
    """The 2012 Regulations, Schedule 1 paragraph 2: an application after the 15th school day is out
    of time and is refused in words."""
    exclusion = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    services.record_board_decision(
        staff, exclusion, reinstate=False, decided_on=D(2026, 3, 18),
        parents_told_on=D(2026, 3, 19),
    )  # fmt: skip
    with pytest.raises(DomainError, match="time to apply for an independent review has passed"):
        services.apply_for_review(staff, exclusion, applied_on=D(2026, 4, 24), sen_expert=False)


def test_an_academy_counts_on_its_own_calendar(school, academy, member):
    """The 2012 Regulations, regulation 2: a school day is a day with a session at the pupil's own
    school, so an academy's own INSET days and term dates count, not the authority's."""
    academy_staff = member(Role.SCHOOL_STAFF, organisation=academy.organisation)
    staff = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    at_academy = notify(academy_staff, pupil_at(academy), academy, "permanent",
                        start=D(2026, 4, 2))  # fmt: skip
    # Good Friday, then Easter Monday inside the academy's term: Monday 27 April.
    assert due(at_academy, "board-consider") == D(2026, 4, 27)
    at_school = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 27),
                       told=D(2026, 4, 2))  # fmt: skip
    assert due(at_school, "board-consider") == D(2026, 5, 1)


def test_the_45_day_cap_across_two_terms(school, staff):
    """The 2012 Regulations, and the guidance ("one or more fixed periods up to a maximum of 45
    school days in a single academic year"): a pupil may be suspended for at most 45 school days
    in a school year, counted across its terms."""
    pupil = pupil_at(school)
    SuspensionFactory(pupil=pupil, school=school, start_date=D(2025, 11, 3), sessions=50,
                      created_by=staff)  # 25 days in autumn  # fmt: skip
    SuspensionFactory(pupil=pupil, school=school, start_date=D(2026, 1, 12), sessions=30,
                      created_by=staff)  # 15 days in spring  # fmt: skip
    with pytest.raises(DomainError, match="40 school days of suspension in 2025 to 2026"):
        notify(staff, pupil, school, start=D(2026, 3, 2), sessions=12)
    allowed = notify(staff, pupil, school, start=D(2026, 3, 2), sessions=10)
    assert allowed.days == 5


def test_the_start_date_must_be_a_school_day(school, staff):
    """The 2012 Regulations, regulation 2: an exclusion runs on school days, so one starting on a
    day without a session is refused in words."""
    with pytest.raises(DomainError, match="must be a school day"):
        notify(staff, pupil_at(school), school, start=D(2026, 2, 16))  # half term


def test_withdrawing_before_the_board_meets_cancels_its_deadlines(school, staff):
    """The guidance: a head may withdraw a suspension or exclusion that the board has
    not yet reviewed; its statutory steps end with it, and no other record's."""
    exclusion = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    services.withdraw_exclusion(staff, exclusion, reason="New evidence")
    statuses = set(deadlines_of(exclusion).values_list("status", flat=True))
    assert statuses == {"cancelled"}
    decided = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    services.record_board_decision(
        staff, decided, reinstate=False, decided_on=D(2026, 3, 10), parents_told_on=D(2026, 3, 10)
    )
    with pytest.raises(DomainError, match="can no longer be withdrawn"):
        services.withdraw_exclusion(staff, decided, reason="Too late")


def test_the_virtual_school_is_told_of_a_looked_after_pupil_only(school, staff, orgs, member):
    """The guidance on pupils with a social worker and looked-after children, and seed 002 ("We will
    always contact The Virtual School"): the virtual school head is told of a looked-after
    pupil's exclusion, and of no one else's."""
    officer = member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=orgs["virtual-school"])
    looked_after = pupil_at(school, care_status=CareStatus.LOOKED_AFTER)
    notify(
        staff, looked_after, school, start=D(2026, 3, 2), virtual_school_contacted_on=D(2026, 3, 2),
        social_worker_told_on=D(2026, 3, 2),
    )  # fmt: skip
    notify(staff, pupil_at(school), school, start=D(2026, 3, 2))
    told = Notification.objects.filter(recipient=officer)
    assert told.count() == 1
    assert looked_after.display_name in told.get().subject


def test_a_pupil_with_a_social_worker_needs_them_told(school, staff):
    """The 2012 Regulations as amended in 2023: the head tells the pupil's social worker of a
    suspension or permanent exclusion without delay."""
    with pytest.raises(DomainError, match="social worker was told"):
        notify(staff, pupil_at(school, care_status=CareStatus.CHILD_IN_NEED), school,
               start=D(2026, 3, 2))  # fmt: skip


def test_flags_repeat_suspensions_missing_virtual_school_contact_and_ehcp(school, staff):
    """Seed 002 ("Where multiple exclusions of a child or young person have taken place, it should
    highlight ... the support provision being used ... is not working") and the guidance on
    pupils with an EHC plan: the record is flagged for the officer."""
    pupil = pupil_at(school, care_status=CareStatus.LOOKED_AFTER, sen_status=SenStatus.EHCP,
                     sen_primary_need="SEMH")  # fmt: skip
    SuspensionFactory(pupil=pupil, school=school, start_date=D(2026, 2, 23), created_by=staff)
    exclusion = notify(staff, pupil, school, start=D(2026, 3, 2),
                       social_worker_told_on=D(2026, 3, 2))  # fmt: skip
    flags = list(exclusion.activities.filter(kind="flag").values_list("note", flat=True))
    assert any("Repeat suspensions (2 this term" in flag for flag in flags)
    assert any("without prior contact with the virtual school head" in flag for flag in flags)
    review = deadlines_of(exclusion, KindCode.ACTION).get()
    assert "emergency annual review" in review.title


def test_reintegration_opens_exactly_one_boss_referral(school, staff, orgs, types, authority):
    """Seed 000: "Pupils reintegrating back into mainstream education after a permanent exclusion
    will automatically have BOSS support": one referral, however often it is recorded."""
    from referrals.models import Referral
    from tests.pupils.factories import SchoolFactory

    pupil = pupil_at(school)
    exclusion = notify(staff, pupil, school, "permanent", start=D(2026, 3, 2))
    services.record_board_decision(
        staff, exclusion, reinstate=False, decided_on=D(2026, 3, 10), parents_told_on=D(2026, 3, 10)
    )
    with pytest.raises(DomainError, match="stays on roll"):
        services.remove_from_roll(staff, exclusion, on=D(2026, 3, 20))
    services.remove_from_roll(staff, exclusion, on=D(2026, 4, 20))
    new_school = SchoolFactory(organisation__local_authority=authority)
    with time_machine.travel(datetime.datetime(2026, 4, 20, 10), tick=False):
        referral = services.reintegrate(
            staff, exclusion, new_school=new_school, start_date=D(2026, 4, 20),
            meeting_on=D(2026, 4, 20), review_on=D(2026, 5, 18),
        )  # fmt: skip
    assert Referral.objects.filter(pupil=pupil, service=orgs["boss"]).count() == 1
    assert referral.source == "reintegration" and referral.school == new_school
    assert pupil.enrolments.get(end_date__isnull=True).school == new_school


def test_only_the_right_people_record_each_step(school, staff, orgs, member):
    """The 2012 Regulations name who does each step (the head notifies, the board decides, the
    authority arranges the panel): each is recorded only by the people in that role."""
    officer = member(Role.EXCLUSIONS_OFFICER)
    virtual_school = member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=orgs["virtual-school"])
    exclusion = notify(staff, pupil_at(school, care_status=CareStatus.PREVIOUSLY_LOOKED_AFTER),
                       school, "permanent", start=D(2026, 3, 2))  # fmt: skip
    with pytest.raises(DomainError, match="cannot record this step"):
        services.record_board_decision(
            virtual_school, exclusion, reinstate=False, decided_on=D(2026, 3, 10),
            parents_told_on=D(2026, 3, 10),
        )  # fmt: skip
    with pytest.raises(DomainError, match="cannot record this step"):
        services.record_sixth_day_provision(staff, exclusion, provision="Home tuition")
    services.record_sixth_day_provision(officer, exclusion, provision="Full-time place at the PRU")
    assert deadlines_of(exclusion, KindCode.SIXTH_DAY).get().status == "met"

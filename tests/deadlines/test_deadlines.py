import datetime

import pytest
import time_machine

from accounts.models import Role
from config.errors import DomainError
from deadlines import services
from deadlines.models import Deadline, DeadlineStatus
from tests.pupils.factories import pupil_at

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil(school):
    return pupil_at(school, legal_first_name="Kai", legal_last_name="Moss")


MID_MARCH = D(2026, 3, 16)


def governing_board_deadline(school, pupil, owner, start=MID_MARCH, **kwargs):
    return services.create_deadline(
        owner,
        kind="governing-board-review",
        subject=pupil,
        pupil=pupil,
        school=school,
        start_date=start,
        title="Governing board meets about Kai's exclusion",
        owner_user=owner,
        **kwargs,
    )


@time_machine.travel(datetime.datetime(2026, 3, 16, 9, 0), tick=False)
def test_a_deadline_is_counted_on_the_school_calendar_and_says_how(school, pupil, member):
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    deadline = governing_board_deadline(school, pupil, owner)
    assert deadline.due_date == D(2026, 4, 20)
    assert deadline.counting_note == (
        "15 school days from Monday 16 March 2026 on Oakfield Primary's calendar, "
        "skipping the Easter holiday"
    )
    # First reminder: 5 school days before the due date (Monday 13 April after Easter).
    assert deadline.next_reminder_on == D(2026, 4, 13)


def test_a_deadline_beyond_the_term_dates_is_recorded_provisionally(school, pupil, member):
    """Never refused for want of term dates: counted on the typical calendar for 2027 to 2028
    (autumn from Wednesday 1 September 2027, its first two days INSET days) and marked
    provisional. From Thursday 15 July 2027: 16, 19 to 22 July (5), 3 September (6), 6 to 10
    September (11), 13 to 16 September (15)."""
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    deadline = governing_board_deadline(school, pupil, owner, start=D(2027, 7, 15))
    assert (deadline.due_date, deadline.provisional) == (D(2027, 9, 16), True)
    assert "term dates for 2027 to 2028 are not all entered" in deadline.counting_note
    within = governing_board_deadline(school, pupil, owner, start=D(2027, 6, 1))
    assert not within.provisional


def test_entering_term_dates_recounts_only_that_authority_s_provisional_deadlines(
    school, pupil, member
):
    from tests.accounts.factories import LocalAuthorityFactory
    from tests.conftest import install_calendar
    from tests.pupils.factories import SchoolFactory

    other_authority = LocalAuthorityFactory()
    install_calendar(other_authority)
    other = SchoolFactory(organisation__local_authority=other_authority)
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    mine = governing_board_deadline(school, pupil, owner, start=D(2027, 7, 15))
    theirs = governing_board_deadline(other, pupil_at(other), owner, start=D(2027, 7, 15))
    services.set_term_dates(
        None, authority=school.organisation.local_authority, academic_year=2027,
        name="autumn_1", start_date=D(2027, 9, 6), end_date=D(2027, 10, 22),
    )  # fmt: skip
    mine.refresh_from_db()
    theirs.refresh_from_db()
    # 16, 19 to 22 July (5), then 6 to 10 September (10), 13 to 17 September (15).
    assert (mine.due_date, mine.provisional) == (D(2027, 9, 17), False)
    assert (theirs.due_date, theirs.provisional) == (D(2027, 9, 16), True)


@time_machine.travel(datetime.datetime(2026, 3, 16, 9, 0), tick=False)
def test_meeting_a_deadline_stops_its_reminders(school, pupil, member):
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    deadline = governing_board_deadline(school, pupil, owner)
    assert services.satisfy_deadlines_for(owner, pupil, "governing-board-review") == 1
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    assert deadline.next_reminder_on is None
    assert deadline.closed_at is not None


def test_a_missed_deadline_can_still_be_met_late(school, pupil, member):
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    deadline = governing_board_deadline(school, pupil, owner)
    services.mark_missed(None, today=D(2026, 4, 21))
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MISSED
    services.satisfy_deadline(owner, deadline)
    assert deadline.status == DeadlineStatus.MET


def test_waiving_needs_a_reason_and_a_closed_deadline_cannot_change(school, pupil, member):
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    deadline = governing_board_deadline(school, pupil, owner)
    with pytest.raises(DomainError, match="Enter why"):
        services.waive_deadline(owner, deadline, reason="  ")
    services.waive_deadline(owner, deadline, reason="Exclusion withdrawn by the head")
    with pytest.raises(DomainError, match="This deadline is waived: it cannot become met"):
        services.satisfy_deadline(owner, deadline)


def test_closing_a_subject_cancels_its_live_deadlines(school, pupil, member):
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    first = governing_board_deadline(school, pupil, owner)
    met = governing_board_deadline(school, pupil, owner)
    services.satisfy_deadline(owner, met)
    assert services.cancel_deadlines_for(owner, pupil, reason="Case closed") == 1
    first.refresh_from_db()
    assert (first.status, first.reason) == (DeadlineStatus.CANCELLED, "Case closed")


@time_machine.travel(datetime.datetime(2026, 3, 16, 9, 0), tick=False)
def test_cancelling_one_subjects_deadlines_leaves_every_other_subjects_alone(school, pupil, member):
    """Closing one case once cancelled every case's deadlines (the subject filter had slipped
    into a comment): cancelling and meeting act on the subject named, and nothing else."""
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    other_pupil = pupil_at(school, legal_first_name="Ada", legal_last_name="Bell")
    mine = governing_board_deadline(school, pupil, owner)
    theirs = governing_board_deadline(school, other_pupil, owner)
    theirs_too = governing_board_deadline(school, other_pupil, owner)

    assert services.cancel_deadlines_for(owner, pupil, reason="Case closed") == 1
    assert services.satisfy_deadlines_for(owner, pupil, "governing-board-review") == 0
    mine.refresh_from_db()
    assert mine.status == DeadlineStatus.CANCELLED
    for deadline in (theirs, theirs_too):
        deadline.refresh_from_db()
        assert deadline.status == DeadlineStatus.OPEN
        assert deadline.reason == ""

    assert services.satisfy_deadlines_for(owner, other_pupil, "governing-board-review") == 2
    mine.refresh_from_db()
    assert mine.status == DeadlineStatus.CANCELLED


def test_a_deadline_needs_an_owner(school, pupil):
    with pytest.raises(DomainError, match="needs an owner"):
        services.create_deadline(
            None,
            kind="action",
            subject=pupil,
            school=school,
            start_date=D(2026, 3, 2),
            title="x",
        )


def test_who_sees_a_deadline(school, pupil, member, organisation_for_role):
    from tests.accounts.factories import MembershipFactory

    service = organisation_for_role(Role.CASEWORKER)
    caseworker = member(Role.CASEWORKER, organisation=service)
    colleague = member(Role.CASEWORKER, organisation=service)
    manager = member(Role.SERVICE_MANAGER, organisation=service)
    stranger = member(Role.CASEWORKER)
    own = governing_board_deadline(school, pupil, caseworker)
    team_task = services.create_deadline(
        None,
        kind="allocation",
        subject=pupil,
        school=school,
        start_date=D(2026, 3, 2),
        title="Allocate Kai's referral",
        owner_organisation=service,
        owner_role=Role.SERVICE_MANAGER,
    )
    assert set(Deadline.objects.visible_to(caseworker)) == {own}
    assert set(Deadline.objects.visible_to(colleague)) == set()
    assert set(Deadline.objects.visible_to(manager)) == {own, team_task}
    assert set(Deadline.objects.visible_to(stranger)) == set()
    MembershipFactory(user=colleague, organisation=service, role=Role.SERVICE_MANAGER)
    colleague._active_memberships = None
    assert set(Deadline.objects.visible_to(colleague)) == {own, team_task}

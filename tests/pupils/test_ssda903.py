"""Pupil data entered once: the virtual school loads the authority's looked-after children
return (the DfE's SSDA903: a header file of children, an episodes file of their periods of
care, dates as dd/mm/yyyy) and children come into, and leave, its cohort. The files here are
written from the return's technical specification, column by column."""

import datetime

import pytest

from accounts.models import Role
from config.errors import DomainError
from pupils import services
from pupils.models import CareStatus
from tests.accounts.factories import VirtualSchoolFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import ReferralAllocatedFactory

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_school_day")]
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"  # noqa: E501


def child(number, pupil, dob="03/05/2014"):
    return f"{number},1,{dob},WBRI,{pupil.upn if pupil else ''},,\n"


def episode(number, start, end="", reason="", rne="S", legal="C2"):
    return f"{number},{start},{rne},{legal},N1,U1,PR1,{end},{reason},,,,\n"


def load(officer, authority, children, episodes):
    return services.import_looked_after_children(
        officer, authority=authority, header=(HEADER + "".join(children)).encode(),
        episodes=(EPISODES + "".join(episodes)).encode(),
    )  # fmt: skip


def test_a_child_coming_into_care_joins_the_cohort_from_the_start_of_their_care(
    officer, authority, school
):
    """An open episode: looked after, from the start of the unbroken run of episodes it ends
    (an episode ceasing with X1 is followed at once by the next)."""
    pupil, classmate = pupil_at(school), pupil_at(school)
    report = load(officer, authority, [child("C1", pupil)], [
        episode("C1", "01/09/2025", "10/11/2025", "X1"),
        episode("C1", "10/11/2025", rne="P"),
    ])  # fmt: skip
    pupil.refresh_from_db()
    assert (pupil.care_status, pupil.looked_after_by) == (CareStatus.LOOKED_AFTER, authority)
    current = pupil.care_episodes.get(end_date__isnull=True)
    assert (current.start_date, current.responsible_authority) == (D(2025, 9, 1), authority.name)
    assert [(r.line, r.outcome) for r in report] == [(2, "updated")]
    classmate.refresh_from_db()
    assert classmate.care_status == CareStatus.NONE


@pytest.mark.parametrize(
    ("reason", "status"),
    [("E11", CareStatus.PREVIOUSLY_LOOKED_AFTER),  # adopted
     ("E45", CareStatus.PREVIOUSLY_LOOKED_AFTER),  # special guardianship order
     ("E41", CareStatus.PREVIOUSLY_LOOKED_AFTER),  # child arrangements order
     ("E13", CareStatus.NONE)],  # returned home to live with parents
)  # fmt: skip
def test_a_child_who_left_care_leaves_the_cohort_or_is_previously_looked_after(
    officer, authority, school, reason, status
):
    """The SSDA903 return's REC codes: a child who left care leaves the virtual school's cohort, or
    becomes previously looked after when adopted or under a special guardianship or child
    arrangements order."""
    pupil = pupil_at(school)
    services.change_care_status(officer, pupil, status=CareStatus.LOOKED_AFTER,
                                start_date=D(2025, 6, 2))  # fmt: skip
    load(officer, authority, [child("C7", pupil)],
         [episode("C7", "02/06/2025", "20/02/2026", reason)])  # fmt: skip
    pupil.refresh_from_db()
    assert pupil.care_status == status
    assert pupil.care_episodes.get(status=CareStatus.LOOKED_AFTER).end_date == D(2026, 2, 19)


def test_loading_the_same_return_again_changes_nothing(officer, authority, school):
    """Loading the same SSDA903 return again changes nothing."""
    pupil = pupil_at(school)
    files = ([child("C1", pupil)], [episode("C1", "01/09/2025")])
    load(officer, authority, *files)
    episodes_before = list(pupil.care_episodes.values_list("pk", "start_date", "end_date"))
    again = load(officer, authority, *files)
    assert [r.outcome for r in again] == ["unchanged"]
    assert list(pupil.care_episodes.values_list("pk", "start_date", "end_date")) == (
        episodes_before
    )


def test_a_child_who_cannot_be_matched_is_reported_and_the_rest_are_applied(
    officer, authority, school
):
    """A child of the return who matches no pupil is reported by line, and the others are
    applied."""
    pupil = pupil_at(school)
    unknown = pupil_at(school)
    unknown_upn = unknown.upn
    unknown.enrolments.all().delete()
    unknown.delete()
    report = load(
        officer,
        authority,
        [
            child("C1", pupil),
            f"C2,2,01/01/2013,WBRI,{unknown_upn},,\n",
            "C3,2,01/01/2013,WBRI,UN2,,\n",
        ],
        [episode("C1", "01/09/2025"), episode("C2", "01/09/2025"), episode("C3", "01/09/2025")],
    )
    assert [(r.line, r.child, r.outcome) for r in report] == [
        (2, "C1", "updated"), (3, "C2", "refused"), (4, "C3", "refused"),
    ]  # fmt: skip
    assert "No pupil with this UPN" in report[1].message
    assert "No UPN" in report[2].message


def test_a_file_with_any_unreadable_row_is_refused_whole_with_every_problem_named(
    officer, authority, school
):
    """A return with any row that cannot be read is refused whole, each problem named with its
    line."""
    pupil = pupil_at(school)
    wrong_letter = ("B" if pupil.upn[0] != "B" else "C") + pupil.upn[1:]
    with pytest.raises(DomainError) as refused:
        load(officer, authority, [child("C1", pupil), f"C2,1,01/01/2014,WBRI,{wrong_letter},,\n"],
             [episode("C1", "31/02/2026"), episode("C1", "01/04/2026"), episode("C9", "01/09/2025")])  # fmt: skip # noqa: E501
    messages = [e.message for e in refused.value.every]
    assert messages == [
        f"header file, line 3, UPN: {wrong_letter} is not a valid UPN: its check letter is wrong",
        "episodes file, line 2, DECOM: 31/02/2026 is not a real date as dd/mm/yyyy",
        "episodes file, line 3, DECOM: 01/04/2026 is in the future",
        "episodes file, line 4, CHILD: Child C9 is not in the header file",
    ]
    pupil.refresh_from_db()
    assert (pupil.care_status, pupil.care_episodes.count()) == (CareStatus.NONE, 0)


def test_a_file_missing_columns_or_not_utf8_is_refused(officer, authority, school):
    """A return without the SSDA903 columns, or not in UTF-8, is refused in words."""
    pupil = pupil_at(school)
    with pytest.raises(DomainError, match="episodes file, line 1: The file has no DEC, REC"):
        services.import_looked_after_children(
            officer, authority=authority, header=(HEADER + child("C1", pupil)).encode(),
            episodes=b"CHILD,DECOM\nC1,01/09/2025\n",
        )  # fmt: skip
    with pytest.raises(DomainError, match="header file: The file must be saved as CSV in UTF-8"):
        services.import_looked_after_children(
            officer, authority=authority, header="CHILD,SEX,DOB,UPN\nC1,1,01/01/2014,Zoë\n".encode(
                "cp1252"), episodes=(EPISODES + episode("C1", "01/09/2025")).encode(),
        )  # fmt: skip


def test_only_the_authoritys_virtual_school_loads_its_return(member, authority, school):
    """Only the authority's own virtual school loads its looked-after children return."""
    from tests.accounts.factories import LocalAuthorityFactory

    other_virtual_school = VirtualSchoolFactory(local_authority=LocalAuthorityFactory())
    elsewhere = member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=other_virtual_school)
    with pytest.raises(DomainError, match="Only the authority's virtual school"):
        load(elsewhere, authority, [], [])


def test_the_pupils_caseworker_and_the_virtual_school_are_told_and_nobody_else(
    officer, authority, school, member
):
    """Seed 002: the services working with a child hear when they come into care."""
    from deadlines.models import Notification
    from tests.accounts.factories import OrganisationFactory
    from tests.cases.factories import CaseOpenFactory
    from tests.referrals.factories import ReferralTypeFactory

    kind = ReferralTypeFactory(service=OrganisationFactory(kind="service",
                                                           local_authority=authority))  # fmt: skip

    def open_case(pupil):
        referral = ReferralAllocatedFactory(referral_type=kind, pupil=pupil, school=school)
        return CaseOpenFactory(referral=referral, caseworker=member(Role.CASEWORKER))

    pupil, other = pupil_at(school), pupil_at(school)
    theirs = open_case(pupil)
    open_case(other)
    colleague = member(Role.VIRTUAL_SCHOOL_OFFICER,
                       organisation=officer.memberships.get().organisation)  # fmt: skip
    load(officer, authority, [child("C1", pupil)], [episode("C1", "01/09/2025")])
    told = Notification.objects.filter(subject=f"Care status changed: {pupil}")
    assert {n.recipient for n in told} == {theirs.caseworker}, (
        "the virtual school reads the return's report, not a message a child"
    )
    assert told.first().body == f"{pupil} is recorded as looked after (cla) from 1 September 2025."
    assert Notification.objects.count() == 1
    services.record_care_status(colleague, other, status="cin", start_date=D(2026, 1, 5))
    by_hand = Notification.objects.filter(subject=f"Care status changed: {other}")
    assert {n.recipient for n in by_hand} >= {officer}, "a change by hand tells the virtual school"

"""Worked examples of the statutory time limits, written from the Regulations' own words and
counted by hand on the fixture calendars (tests/conftest.py), one row each.

The authority's 2025 to 2026 year: autumn 3 September to 24 October and 3 November to
19 December 2025; an INSET day on Monday 5 January 2026; spring 5 January to 13 February and
23 February to 27 March; Easter holiday 30 March to 10 April (Good Friday 3 April, Easter Monday
6 April); summer 13 April to 22 May (May Day, Monday 4 May, is a bank holiday in term) and 1 June
to 21 July. 2026 to 2027 is the typical calendar (autumn from Tuesday 1 September 2026).
The academy's own year differs: no INSET day on 5 January, an INSET day on 17 October, its spring
term runs to Thursday 2 April and its summer term starts on Easter Monday, 6 April (a bank
holiday, so Tuesday 7 April is its first day).

Sources, as cited in each row:
- "2012 reg 6/24": The School Discipline (Pupil Exclusions and Reviews) (England) Regulations
  2012, regulation 6 (maintained schools) and 24 (academies): the board decides within 15 school
  days of receiving notice where the exclusion is permanent, takes the total over 15 school days
  in any one term, or loses the pupil a public examination; within 50 school days of receiving
  notice where the total is over 5 school days in a term and the parents make representations.
- "2012 post": the same Regulations (regulations 8(3), 17(3), 26(3)): a notice sent by first class
  post is given "on the second working day after the date of posting".
- "2012 Sch 1": Schedule 1, paragraph 2: the parents may apply for a review within 15 school days
  of notice of the board's decision.
- "2007 regs": The Education (Provision of Full-Time Education for Excluded Pupils) (England)
  Regulations 2007, as amended in 2014: full-time education from "the sixth consecutive school
  day of exclusion, regardless of whether the pupil has been excluded for a single fixed period or
  more than one fixed period".
- "guidance 45": the DfE guidance (2026): no more than 45 school days of suspension in a school
  year.
"""

import datetime
from dataclasses import dataclass, field

import pghistory.models
import pytest
import time_machine

from accounts.models import Role
from config.errors import DomainError
from deadlines import services as deadline_services
from deadlines.models import Notification, Term, TermName
from deadlines.selectors import deadlines_of
from exclusions import services
from exclusions.models import ReasonCode
from exclusions.rules import notice_received_on
from tests.pupils.factories import pupil_at

D = datetime.date
pytestmark = pytest.mark.django_db


@dataclass
class Example:
    name: str
    source: str
    actions: list  # ("suspend", start, sessions, extra) | ("permanent", start, extra) | ...
    expect: tuple  # ("due", kind, date) | ("none", kind) | ("refused", words) | ...
    at: str = "la"  # the authority's school, or the academy
    setup: list = field(default_factory=list)


def S(start, sessions, **extra):
    return ("suspend", start, sessions, extra)


def P(start, **extra):
    return ("permanent", start, extra)


EXAMPLES = [
    # The board's 15 school days, from receiving notice.
    Example("permanent, told before Christmas", "2012 reg 6: 15 school days of receiving notice",
            [P(D(2025, 12, 8))], ("due", "board-consider", D(2026, 1, 13))),
    Example("the same at the academy (no INSET day on 5 January)", "2012 reg 24",
            [P(D(2025, 12, 8))], ("due", "board-consider", D(2026, 1, 12)), at="academy"),
    Example("told by post on the last Thursday of term", "2012 reg 6 and 2012 post",
            [P(D(2025, 12, 18), board_told_how="post")], ("due", "board-consider", D(2026, 1, 26))),
    Example("told by email the same day", "2012 reg 6",
            [P(D(2025, 12, 18))], ("due", "board-consider", D(2026, 1, 23))),
    Example("across the Easter holiday", "2012 reg 6",
            [P(D(2026, 3, 16))], ("due", "board-consider", D(2026, 4, 20))),
    Example("across the academy's earlier Easter return", "2012 reg 24",
            [P(D(2026, 3, 16))], ("due", "board-consider", D(2026, 4, 8)), at="academy"),
    Example("entered a week late: counted from the day the board was told", "2012 reg 6",
            [P(D(2026, 3, 2), recorded_on=D(2026, 3, 9))],
            ("due", "board-consider", D(2026, 3, 23))),
    # The sixth day.
    Example("permanent across Christmas: the authority's sixth day", "2007 regs",
            [P(D(2025, 12, 18))], ("due", "sixth-day", D(2026, 1, 9))),
    Example("the same at the academy", "2007 regs",
            [P(D(2025, 12, 18))], ("due", "sixth-day", D(2026, 1, 8)), at="academy"),
    Example("six days across the February half term", "2007 regs",
            [S(D(2026, 2, 11), 12)], ("due", "sixth-day", D(2026, 2, 25))),
    Example("five days: no sixth day", "2007 regs",
            [S(D(2026, 2, 11), 10)], ("none", "sixth-day")),
    Example("five and a half days: the half day is the sixth", "2007 regs",
            [S(D(2026, 3, 2), 11)], ("due", "sixth-day", D(2026, 3, 9))),
    Example("three days, then three more the next school day", "2007 regs: more than one period",
            [S(D(2026, 3, 2), 6), S(D(2026, 3, 5), 6)], ("due", "sixth-day", D(2026, 3, 9))),
    Example("a school day between them breaks the run", "2007 regs: consecutive",
            [S(D(2026, 3, 2), 6), S(D(2026, 3, 6), 6)], ("none", "sixth-day")),
    Example("back to back across a weekend", "2007 regs",
            [S(D(2026, 3, 4), 6), S(D(2026, 3, 9), 6)], ("due", "sixth-day", D(2026, 3, 11))),
    Example("back to back across the half term", "2007 regs: school days",
            [S(D(2026, 2, 12), 4), S(D(2026, 2, 23), 8)], ("due", "sixth-day", D(2026, 2, 26))),
    Example("the run had reached six already: no second step", "2007 regs",
            [S(D(2026, 3, 2), 12), S(D(2026, 3, 10), 4)], ("none", "sixth-day")),
    # Days in a term, each day in the term it falls in.
    Example("15 days in the spring term: no meeting", "2012 reg 6: more than 15",
            [S(D(2026, 1, 12), 20), S(D(2026, 3, 2), 10)], ("none", "board-consider")),
    Example("15 and a half days: the board meets", "2012 reg 6: more than 15",
            [S(D(2026, 1, 12), 20), S(D(2026, 3, 2), 11)],
            ("due", "board-consider", D(2026, 3, 23))),
    Example("across Christmas: 13 days in autumn and 5 in spring, no meeting",
            "2012 reg 6: any one term",
            [S(D(2025, 12, 1), 16), S(D(2025, 12, 15), 20)], ("none", "board-consider")),
    Example("then 11 more in spring make 16 there: the board meets", "2012 reg 6: any one term",
            [S(D(2025, 12, 1), 16), S(D(2025, 12, 15), 20), S(D(2026, 1, 19), 22)],
            ("due", "board-consider", D(2026, 2, 9))),
    # A missed public examination.
    Example("the examination comes before the 15 days are up", "2012 reg 6: public examination",
            [P(D(2026, 5, 11), misses_public_exam=True, exam_date=D(2026, 5, 14))],
            ("due", "board-consider", D(2026, 5, 13))),
    Example("the 15 days come first", "2012 reg 6: public examination",
            [S(D(2026, 5, 11), 2, misses_public_exam=True, exam_date=D(2026, 6, 15))],
            ("due", "board-consider", D(2026, 6, 8))),
    # The parents' representations: 50 school days from notice of the suspension.
    Example("six days, the parents ask a week later", "2012 reg 6: 50 school days of notice",
            [S(D(2026, 3, 2), 12), ("ask", D(2026, 3, 9))],
            ("due", "board-consider-requested", D(2026, 6, 2))),
    Example("the same at the academy", "2012 reg 24: 50 school days of notice",
            [S(D(2026, 3, 2), 12), ("ask", D(2026, 3, 9))],
            ("due", "board-consider-requested", D(2026, 5, 14)), at="academy"),
    Example("notice posted: 50 days from the second working day", "2012 reg 6 and 2012 post",
            [S(D(2026, 3, 2), 12, board_told_how="post"), ("ask", D(2026, 3, 9))],
            ("due", "board-consider-requested", D(2026, 6, 4))),
    Example("five days or fewer: no meeting", "2012 reg 6: more than 5",
            [S(D(2026, 3, 2), 10), ("ask", D(2026, 3, 9))], ("none", "board-consider-requested")),
    # The independent review.
    Example("decision posted on a Monday", "2012 Sch 1 and 2012 post",
            [P(D(2026, 3, 2)), ("decide", D(2026, 4, 20), "post")],
            ("due", "review-application", D(2026, 5, 14))),
    Example("decision emailed on the same Monday", "2012 Sch 1",
            [P(D(2026, 3, 2)), ("decide", D(2026, 4, 20), "email")],
            ("due", "review-application", D(2026, 5, 12))),
    # 45 school days in a school year.
    Example("42 days, then four more", "guidance 45",
            [S(D(2025, 9, 8), 30), S(D(2025, 11, 3), 30), S(D(2026, 2, 2), 24),
             S(D(2026, 3, 2), 8)], ("refused", "42 school days of suspension in 2025 to 2026")),
    Example("42 days, then three more", "guidance 45",
            [S(D(2025, 9, 8), 30), S(D(2025, 11, 3), 30), S(D(2026, 2, 2), 24),
             S(D(2026, 3, 2), 6)], ("days", 3)),
    Example("44 days; two of four more fall in July, two in September: too many", "guidance 45",
            [S(D(2025, 9, 8), 30), S(D(2025, 11, 3), 30), S(D(2026, 2, 2), 24),
             S(D(2026, 5, 11), 4), S(D(2026, 7, 20), 8)],
            ("refused", "44 school days of suspension in 2025 to 2026")),
    Example("43 days; two more in July and two in September: allowed", "guidance 45",
            [S(D(2025, 9, 8), 30), S(D(2025, 11, 3), 30), S(D(2026, 2, 2), 24),
             S(D(2026, 5, 11), 2), S(D(2026, 7, 20), 8)], ("days", 4)),
    # Next year's term dates not entered: recorded, counted on the typical calendar.
    Example("July, next year's dates missing: provisional", "2012 reg 6",
            [P(D(2026, 7, 13))], ("provisional", "board-consider", D(2026, 9, 15)),
            setup=["no 2026 dates"]),
    Example("the sixth day falls in the unentered September", "2007 regs",
            [P(D(2026, 7, 16))], ("provisional", "sixth-day", D(2026, 9, 4)),
            setup=["no 2026 dates"]),
    Example("then the dates are entered: counted again, no longer provisional", "2012 reg 6",
            [P(D(2026, 7, 13)), ("enter autumn", D(2026, 9, 7), D(2026, 10, 23))],
            ("counted", "board-consider", D(2026, 9, 17)), setup=["no 2026 dates"]),
]  # fmt: skip


@pytest.fixture
def places(school, academy, member):
    return {
        "la": (school, member(Role.SCHOOL_STAFF, organisation=school.organisation)),
        "academy": (academy, member(Role.SCHOOL_STAFF, organisation=academy.organisation)),
    }


def _notify(staff, pupil, school, kind, start, sessions, extra):
    extra = dict(extra)
    recorded_on = extra.pop("recorded_on", start)
    fields = {
        "sessions": sessions, "description": "Threatened a member of staff",
        "parents_told_on": start, "parents_told_how": "Phone call and letter",
        "misses_public_exam": False, "board_told_on": start, "board_told_how": "email",
        **extra,
    }  # fmt: skip
    with time_machine.travel(datetime.datetime.combine(recorded_on, datetime.time(15)), tick=False):
        return services.notify_exclusion(
            staff, pupil=pupil, school=school, kind=kind, start_date=start,
            reasons=ReasonCode.objects.filter(code="VA"), **fields,
        )  # fmt: skip


def _run(example, school, staff, authority):
    pupil = pupil_at(school)
    last = None
    for action in example.actions:
        if action[0] == "suspend":
            last = _notify(staff, pupil, school, "suspension", action[1], action[2], action[3])
        elif action[0] == "permanent":
            last = _notify(staff, pupil, school, "permanent", action[1], None, action[2])
        elif action[0] == "ask":
            services.parents_ask_board(staff, last, asked_on=action[1])
        elif action[0] == "decide":
            services.record_board_decision(
                staff, last, reinstate=False, decided_on=action[1], parents_told_on=action[1],
                parents_told_how=action[2],
            )  # fmt: skip
        elif action[0] == "enter autumn":
            deadline_services.set_term_dates(
                None, authority=authority, academic_year=2026, name=TermName.AUTUMN_1,
                start_date=action[1], end_date=action[2],
            )  # fmt: skip
    return last


def _deadline(exclusion, kind):
    return deadlines_of(exclusion, kind).get()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_worked_example(example, places, authority):
    """Each worked example states its rule and source (the 2012 Regulations, regulations 6 and 24
    and Schedule 1; the 2007 Regulations; the guidance's 45-day limit) and the date the law
    gives, counted on the fixture calendar."""
    school, staff = places[example.at]
    if "no 2026 dates" in example.setup:
        Term.objects.filter(academic_year=2026).delete()
    expect = example.expect
    if expect[0] == "refused":
        with pytest.raises(DomainError, match=expect[1]):
            _run(example, school, staff, authority)
        return
    exclusion = _run(example, school, staff, authority)
    if expect[0] == "due":
        assert _deadline(exclusion, expect[1]).due_date == expect[2]
        assert not _deadline(exclusion, expect[1]).provisional
    elif expect[0] == "none":
        assert not deadlines_of(exclusion, expect[1]).exists()
    elif expect[0] == "days":
        assert exclusion.days == expect[1]
    elif expect[0] == "provisional":
        deadline = _deadline(exclusion, expect[1])
        assert (deadline.due_date, deadline.provisional) == (expect[2], True)
        assert "Provisional" in deadline.counting_note
    elif expect[0] == "counted":
        deadline = _deadline(exclusion, expect[1])
        assert (deadline.due_date, deadline.provisional) == (expect[2], False)
        history = pghistory.models.Events.objects.tracks(deadline)
        assert history.filter(pgh_data__provisional=True).exists(), "the history keeps it"


def test_there_are_at_least_thirty_examples_each_citing_its_source():
    """The worked examples cover the 2012 Regulations, the 2007 Regulations and the guidance, at
    least thirty of them, each naming its source."""
    assert len(EXAMPLES) >= 30
    assert all(e.source.split(":")[0].split(" and ")[0] in {
        "2012 reg 6", "2012 reg 24", "2007 regs", "2012 Sch 1", "guidance 45",
    } for e in EXAMPLES)  # fmt: skip


@pytest.mark.parametrize(
    ("sent", "how", "received"),
    [
        (D(2025, 12, 18), "post", D(2025, 12, 22)),  # Friday, then Monday
        (D(2025, 12, 23), "post", D(2025, 12, 29)),  # Christmas and Boxing Day
        (D(2026, 4, 2), "post", D(2026, 4, 8)),  # Good Friday and Easter Monday
        (D(2026, 5, 1), "post", D(2026, 5, 6)),  # May Day
        (D(2026, 5, 22), "post", D(2026, 5, 27)),  # the spring bank holiday
        (D(2025, 12, 18), "email", D(2025, 12, 18)),
        (D(2025, 12, 18), "in_person", D(2025, 12, 18)),
    ],
)
def test_a_posted_notice_is_received_on_the_second_working_day(sent, how, received):
    """2012 post: "on the second working day after the date of posting"; working days are not
    weekends, Christmas Day, Good Friday or bank holidays (term or not)."""
    assert notice_received_on(sent, how) == received


def test_provisional_deadlines_ask_the_administrators_for_the_dates_once(places, member):
    """A statutory date that falls in a year without term dates is provisional, counted on a typical
    year, and the administrators are asked for the dates once, not once a pupil."""
    school, staff = places["la"]
    admin = member(Role.LA_ADMINISTRATOR)
    Term.objects.filter(academic_year=2026).delete()
    example = next(e for e in EXAMPLES if e.name.startswith("July, next year's"))
    _run(example, school, staff, school.organisation.local_authority)
    _run(example, school, staff, school.organisation.local_authority)  # a second pupil
    asked = Notification.objects.filter(
        recipient=admin, subject="Term dates needed for 2026 to 2027"
    )
    assert asked.count() == 1
    assert "provisional" in asked.get().body

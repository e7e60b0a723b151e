"""The kinds of time limit the service runs on, with their reminder schedules. Each names where
its rule comes from; the admin can change the schedules. Installed by a data migration, and again
by the test suite's database setup (transactional tests empty every table)."""

from deadlines.codes import Counting, KindCode

KINDS = [
    (
        KindCode.BOARD_CONSIDER,
        "Governing board considers reinstatement",
        "School Discipline Regulations 2012 (regulation 6; 24 for academies): the governing "
        "board decides on reinstatement within 15 school days of receiving notice of a permanent "
        "exclusion, of suspensions over 15 school days in a term, or of a missed public exam",
        Counting.SCHOOL_DAYS,
        15,
        [
            (-5, Counting.SCHOOL_DAYS, "Board meets in 5 school days"),
            (-1, Counting.SCHOOL_DAYS, "Board meets tomorrow"),
            (0, Counting.SCHOOL_DAYS, "Board meeting due today"),
            (1, Counting.SCHOOL_DAYS, "Board meeting overdue"),
        ],
    ),
    (
        KindCode.BOARD_CONSIDER_REQUESTED,
        "Governing board considers reinstatement at the parents' request",
        "School Discipline Regulations 2012 (regulation 6; 24 for academies): over 5 school "
        "days in a term, if the parents make representations, the board decides within 50 school "
        "days of receiving notice of the suspension",
        Counting.SCHOOL_DAYS,
        50,
        [
            (-5, Counting.SCHOOL_DAYS, "Board meets in 5 school days"),
            (0, Counting.SCHOOL_DAYS, "Board meeting due today"),
            (1, Counting.SCHOOL_DAYS, "Board meeting overdue"),
        ],
    ),
    (
        KindCode.SIXTH_DAY,
        "Full-time education from the sixth school day",
        "Full-Time Education for Excluded Pupils Regulations 2007: from the sixth consecutive "
        "school day of exclusion, one suspension or back-to-back ones, the school arranges "
        "full-time education; for a permanent exclusion, the local authority",
        Counting.SCHOOL_DAYS,
        5,
        [
            (-2, Counting.SCHOOL_DAYS, "Provision needed in 2 school days"),
            (0, Counting.SCHOOL_DAYS, "Provision starts today"),
            (1, Counting.SCHOOL_DAYS, "Provision overdue"),
        ],
    ),
    (
        KindCode.REVIEW_APPLICATION,
        "Parents may apply for an independent review",
        "School Discipline Regulations 2012 (Schedule 1): parents may apply for an independent "
        "review within 15 school days of being given notice of the board's decision to uphold "
        "a permanent exclusion (by post: the second working day after posting)",
        Counting.SCHOOL_DAYS,
        15,
        [(0, Counting.SCHOOL_DAYS, "Last day to apply for a review")],
    ),
    (
        KindCode.PANEL_MEETING,
        "Independent review panel meets",
        "School Discipline Regulations 2012 (Schedule 1): the independent review panel meets "
        "within 15 school days of the parents' application",
        Counting.SCHOOL_DAYS,
        15,
        [
            (-5, Counting.SCHOOL_DAYS, "Panel meets in 5 school days"),
            (0, Counting.SCHOOL_DAYS, "Panel due today"),
            (1, Counting.SCHOOL_DAYS, "Panel overdue"),
        ],
    ),
    (
        KindCode.BOARD_RECONSIDER,
        "Governing board reconsiders",
        "School Discipline Regulations 2012 (regulation 8; 26 for academies): the board "
        "reconsiders within 10 school days of being told of the panel's decision",
        Counting.SCHOOL_DAYS,
        10,
        [
            (-3, Counting.SCHOOL_DAYS, "Reconsideration in 3 school days"),
            (0, Counting.SCHOOL_DAYS, "Reconsideration due today"),
            (1, Counting.SCHOOL_DAYS, "Reconsideration overdue"),
        ],
    ),
    (
        KindCode.PLAN_REVIEW,
        "Plan review",
        "The authority's Pastoral Support Plan guidance: a PSP is reviewed at its meetings; DfE "
        "school attendance guidance: a part-time "
        "timetable is time-limited and reviewed",
        Counting.CALENDAR_DAYS,
        42,
        [
            (-5, Counting.SCHOOL_DAYS, "Review in 5 school days"),
            (0, Counting.SCHOOL_DAYS, "Review due today"),
            (1, Counting.SCHOOL_DAYS, "Review overdue"),
        ],
    ),
    (
        KindCode.TIMETABLE_END,
        "Part-time timetable ends",
        "The authority's part-time timetable guidance and the DfE's school attendance guidance: "
        "a part-time timetable must not be long-term",
        Counting.CALENDAR_DAYS,
        0,
        [
            (-5, Counting.SCHOOL_DAYS, "Ends in 5 school days"),
            (0, Counting.SCHOOL_DAYS, "Ends today"),
            (1, Counting.SCHOOL_DAYS, "Past its end date"),
        ],
    ),
    # code, name, source, counting, length, [(offset, counting, label)]
    (
        KindCode.ALLOCATION,
        "Allocate the referral to a caseworker",
        "BASS's service agreement: interventions are allocated within 2 weeks",
        Counting.SCHOOL_WEEKS,
        2,
        [
            (-2, Counting.SCHOOL_DAYS, "Due in 2 school days"),
            (0, Counting.SCHOOL_DAYS, "Due today"),
            (1, Counting.SCHOOL_DAYS, "Overdue"),
        ],
    ),
    (
        KindCode.PARENT_CONTACT,
        "Contact the parent or carer",
        "The behaviour officer's procedure: contact the parent on the day of allocation",
        Counting.SCHOOL_DAYS,
        0,
        [(0, Counting.SCHOOL_DAYS, "Due today"), (1, Counting.SCHOOL_DAYS, "Overdue")],
    ),
    (
        KindCode.GOVERNING_BOARD_REVIEW,
        "Governing board considers the exclusion",
        "School Discipline Regulations 2012 (regulation 6; 24 for academies): the governing "
        "board must consider reinstatement within 15 school days of receiving notice",
        Counting.SCHOOL_DAYS,
        15,
        [
            (-5, Counting.SCHOOL_DAYS, "Due in 5 school days"),
            (-1, Counting.SCHOOL_DAYS, "Due tomorrow"),
            (0, Counting.SCHOOL_DAYS, "Due today"),
            (1, Counting.SCHOOL_DAYS, "Overdue"),
        ],
    ),
    (
        KindCode.BOSS_MAXIMUM_INVOLVEMENT,
        "BOSS involvement reaches 22 weeks",
        "BOSS's service agreement: BOSS withdraws after at most 22 weeks of involvement",
        Counting.SCHOOL_WEEKS,
        22,
        [
            (-20, Counting.SCHOOL_DAYS, "Week 18 of 22: 4 school weeks left"),
            (-10, Counting.SCHOOL_DAYS, "Week 20 of 22: 2 school weeks left"),
            (0, Counting.SCHOOL_DAYS, "Maximum involvement reached"),
        ],
    ),
    (
        KindCode.QUARTERLY_REVIEW,
        "Quarterly review",
        "The behaviour officer's procedure: every open referral is revisited, and closed where "
        "possible, every three months (Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar)",
        Counting.CALENDAR_DAYS,
        14,
        [
            (-3, Counting.CALENDAR_DAYS, "Due in 3 days"),
            (0, Counting.CALENDAR_DAYS, "Due today"),
            (1, Counting.CALENDAR_DAYS, "Overdue"),
        ],
    ),
    (
        KindCode.PEP_MEETING,
        "Personal Education Plan meeting",
        "The virtual school's guidance: every looked-after child has a PEP meeting every term",
        Counting.SCHOOL_WEEKS,
        12,
        [
            (-10, Counting.SCHOOL_DAYS, "Due in 10 school days"),
            (0, Counting.SCHOOL_DAYS, "Due today"),
            (1, Counting.SCHOOL_DAYS, "Overdue"),
        ],
    ),
    (
        KindCode.ACTION,
        "Agreed action",
        "The behaviour officer's procedure: agreed actions are recorded on the action sheet "
        "(form B/ex4)",
        Counting.SCHOOL_DAYS,
        5,
        [
            (-1, Counting.SCHOOL_DAYS, "Due tomorrow"),
            (0, Counting.SCHOOL_DAYS, "Due today"),
            (1, Counting.SCHOOL_DAYS, "Overdue"),
        ],
    ),
]


def install_default_kinds(DeadlineKind=None, ReminderStep=None):
    """Create or update the default kinds; takes the historical models from a migration."""
    if DeadlineKind is None:
        from deadlines.models import DeadlineKind, ReminderStep
    for code, name, source, counting, length, steps in KINDS:
        kind, _ = DeadlineKind.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "source": source,
                "counting": counting,
                "default_length": length,
            },
        )
        for offset, step_counting, label in steps:
            ReminderStep.objects.update_or_create(
                kind=kind, offset=offset, counting=step_counting, defaults={"label": label}
            )

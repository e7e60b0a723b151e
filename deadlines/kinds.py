"""The kinds of time limit the service runs on, with their reminder schedules. Each names where
its rule comes from; the admin can change the schedules. Installed by a data migration, and again
by the test suite's database setup (transactional tests empty every table)."""

KINDS = [
    (
        "board-consider",
        "Governing board considers reinstatement",
        "School Discipline Regulations 2012 (regulation 6; 24 for academies): the governing "
        "board decides on reinstatement within 15 school days of receiving notice of a permanent "
        "exclusion, of suspensions over 15 school days in a term, or of a missed public exam",
        "school_days",
        15,
        [
            (-5, "school_days", "Board meets in 5 school days"),
            (-1, "school_days", "Board meets tomorrow"),
            (0, "school_days", "Board meeting due today"),
            (1, "school_days", "Board meeting overdue"),
        ],
    ),
    (
        "board-consider-requested",
        "Governing board considers reinstatement at the parents' request",
        "School Discipline Regulations 2012 (regulation 6; 24 for academies): over 5 school "
        "days in a term, if the parents make representations, the board decides within 50 school "
        "days of receiving notice of the suspension",
        "school_days",
        50,
        [
            (-5, "school_days", "Board meets in 5 school days"),
            (0, "school_days", "Board meeting due today"),
            (1, "school_days", "Board meeting overdue"),
        ],
    ),
    (
        "sixth-day",
        "Full-time education from the sixth school day",
        "Full-Time Education for Excluded Pupils Regulations 2007: from the sixth consecutive "
        "school day of exclusion, one suspension or back-to-back ones, the school arranges "
        "full-time education; for a permanent exclusion, the local authority",
        "school_days",
        5,
        [
            (-2, "school_days", "Provision needed in 2 school days"),
            (0, "school_days", "Provision starts today"),
            (1, "school_days", "Provision overdue"),
        ],
    ),
    (
        "review-application",
        "Parents may apply for an independent review",
        "School Discipline Regulations 2012 (Schedule 1): parents may apply for an independent "
        "review within 15 school days of being given notice of the board's decision to uphold "
        "a permanent exclusion (by post: the second working day after posting)",
        "school_days",
        15,
        [(0, "school_days", "Last day to apply for a review")],
    ),
    (
        "panel-meeting",
        "Independent review panel meets",
        "School Discipline Regulations 2012 (Schedule 1): the independent review panel meets "
        "within 15 school days of the parents' application",
        "school_days",
        15,
        [
            (-5, "school_days", "Panel meets in 5 school days"),
            (0, "school_days", "Panel due today"),
            (1, "school_days", "Panel overdue"),
        ],
    ),
    (
        "board-reconsider",
        "Governing board reconsiders",
        "School Discipline Regulations 2012 (regulation 8; 26 for academies): the board "
        "reconsiders within 10 school days of being told of the panel's decision",
        "school_days",
        10,
        [
            (-3, "school_days", "Reconsideration in 3 school days"),
            (0, "school_days", "Reconsideration due today"),
            (1, "school_days", "Reconsideration overdue"),
        ],
    ),
    (
        "plan-review",
        "Plan review",
        "The authority's Pastoral Support Plan guidance: a PSP is reviewed at its meetings; DfE "
        "school attendance guidance: a part-time "
        "timetable is time-limited and reviewed",
        "calendar_days",
        42,
        [
            (-5, "school_days", "Review in 5 school days"),
            (0, "school_days", "Review due today"),
            (1, "school_days", "Review overdue"),
        ],
    ),
    (
        "timetable-end",
        "Part-time timetable ends",
        "The authority's part-time timetable guidance and the DfE's school attendance guidance: "
        "a part-time timetable must not be long-term",
        "calendar_days",
        0,
        [
            (-5, "school_days", "Ends in 5 school days"),
            (0, "school_days", "Ends today"),
            (1, "school_days", "Past its end date"),
        ],
    ),
    # code, name, source, counting, length, [(offset, counting, label)]
    (
        "allocation",
        "Allocate the referral to a caseworker",
        "BASS's service agreement: interventions are allocated within 2 weeks",
        "school_weeks",
        2,
        [
            (-2, "school_days", "Due in 2 school days"),
            (0, "school_days", "Due today"),
            (1, "school_days", "Overdue"),
        ],
    ),
    (
        "parent-contact",
        "Contact the parent or carer",
        "The behaviour officer's procedure: contact the parent on the day of allocation",
        "school_days",
        0,
        [(0, "school_days", "Due today"), (1, "school_days", "Overdue")],
    ),
    (
        "governing-board-review",
        "Governing board considers the exclusion",
        "School Discipline Regulations 2012 (regulation 6; 24 for academies): the governing "
        "board must consider reinstatement within 15 school days of receiving notice",
        "school_days",
        15,
        [
            (-5, "school_days", "Due in 5 school days"),
            (-1, "school_days", "Due tomorrow"),
            (0, "school_days", "Due today"),
            (1, "school_days", "Overdue"),
        ],
    ),
    (
        "boss-maximum-involvement",
        "BOSS involvement reaches 22 weeks",
        "BOSS's service agreement: BOSS withdraws after at most 22 weeks of involvement",
        "school_weeks",
        22,
        [
            (-20, "school_days", "Week 18 of 22: 4 school weeks left"),
            (-10, "school_days", "Week 20 of 22: 2 school weeks left"),
            (0, "school_days", "Maximum involvement reached"),
        ],
    ),
    (
        "quarterly-review",
        "Quarterly review",
        "The behaviour officer's procedure: every open referral is revisited, and closed where "
        "possible, every three months (Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar)",
        "calendar_days",
        14,
        [
            (-3, "calendar_days", "Due in 3 days"),
            (0, "calendar_days", "Due today"),
            (1, "calendar_days", "Overdue"),
        ],
    ),
    (
        "pep-meeting",
        "Personal Education Plan meeting",
        "The virtual school's guidance: every looked-after child has a PEP meeting every term",
        "school_weeks",
        12,
        [
            (-10, "school_days", "Due in 10 school days"),
            (0, "school_days", "Due today"),
            (1, "school_days", "Overdue"),
        ],
    ),
    (
        "action",
        "Agreed action",
        "The behaviour officer's procedure: agreed actions are recorded on the action sheet "
        "(form B/ex4)",
        "school_days",
        5,
        [
            (-1, "school_days", "Due tomorrow"),
            (0, "school_days", "Due today"),
            (1, "school_days", "Overdue"),
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

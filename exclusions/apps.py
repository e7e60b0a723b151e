from django.apps import AppConfig

from deadlines.codes import KindCode


class ExclusionsConfig(AppConfig):
    name = "exclusions"
    verbose_name = "Suspensions and exclusions"

    def ready(self):
        from pupils import timeline

        timeline.register(exclusion_timeline)
        expect_deadlines()
        register_personal_data()
        register_home_and_cohort()


def register_home_and_cohort():
    from accounts import home
    from exclusions.home import home_page
    from exclusions.models import Exclusion
    from pupils import cohort

    home.register(home_page)
    from accounts import finder

    finder.register(find_exclusions)
    cohort.register(cohort.Column(
        "exclusions", "Suspensions and exclusions",
        lambda user: Exclusion.objects.visible_to(user).counted(), order=10,
    ))  # fmt: skip


def register_personal_data():
    """What happened, in words: the notice, the board's note, the provision, the history, the
    outcomes and the support for the parent (seed 004)."""
    from audit.personal_data import REMOVED, holds, section
    from exclusions.models import Exclusion, ExclusionActivity, Outcome, ParentSupport

    words = ["description", "work_set", "board_decision_note", "sixth_day_provision",
             "parents_told_how"]  # fmt: skip
    holds(Exclusion, lambda pupil: Exclusion.objects.filter(pupil=pupil),
          anonymised=dict.fromkeys(words, REMOVED))  # fmt: skip
    holds(ExclusionActivity,
          lambda pupil: ExclusionActivity.objects.filter(exclusion__pupil=pupil),
          anonymised={"note": REMOVED})  # fmt: skip
    holds(Outcome, lambda pupil: Outcome.objects.filter(exclusion__pupil=pupil),
          anonymised={"notes": REMOVED, "provider": REMOVED})  # fmt: skip
    holds(ParentSupport, lambda pupil: ParentSupport.objects.filter(exclusion__pupil=pupil),
          anonymised={"volunteer": REMOVED, "outcome": REMOVED})  # fmt: skip
    section("exclusions", lambda pupil, person: [
        {"kind": e.get_kind_display(), "from": e.start_date, "days": e.days,
         "description": e.description, "status": e.get_status_display()}
        for e in Exclusion.objects.filter(pupil=pupil)
    ])  # fmt: skip


def expect_deadlines():
    """What ``reconcile_deadlines`` puts back for exclusions: nothing but its own end
    (withdrawn, reinstated, off roll) cancels a statutory step, and a step is met only by
    recording what it asks for, which moves the exclusion on."""
    from deadlines.expectations import expect_clock, expect_kept
    from exclusions.models import LIVE_STATUSES, Exclusion, Kind, Status

    live = lambda: Exclusion.objects.filter(status__in=LIVE_STATUSES)  # noqa: E731
    expect_kept(live, because="the exclusion's statutory steps are still running")
    for kind, subjects, because in [
        (KindCode.BOARD_CONSIDER, lambda: live().filter(status=Status.NOTIFIED),
         "the governing board has not yet considered the exclusion"),
        (KindCode.BOARD_CONSIDER_REQUESTED,
         lambda: live().filter(status=Status.NOTIFIED, parents_asked_board_on__isnull=False),
         "the parents asked the board to consider the suspension and it has not yet decided"),
        (KindCode.SIXTH_DAY, lambda: live().filter(sixth_day_provision=""),
         "no sixth-day provision has been recorded"),
        (KindCode.REVIEW_APPLICATION,
         lambda: live().filter(status=Status.UPHELD, kind=Kind.PERMANENT),
         "the parents may still apply for an independent review"),
        (KindCode.PANEL_MEETING, lambda: live().filter(status=Status.UNDER_REVIEW),
         "the independent review panel has not yet decided"),
        (KindCode.BOARD_RECONSIDER, lambda: live().filter(status=Status.RECONSIDER),
         "the governing board has not yet reconsidered"),
    ]:  # fmt: skip
        expect_clock(kind, subjects, because=because)


def exclusion_timeline(user, pupil):
    """Every step of the pupil's suspensions and exclusions the user may see."""
    from config.tables import record_urls
    from exclusions.models import Exclusion, ExclusionActivityKind, Kind
    from pupils.timeline import Entry

    # The steps read from the exclusions the user may see, joined, rather than as a subquery
    # of them (whose rules Django copies and renames on every read); only what an entry shows,
    # as values.
    activities = (
        Exclusion.objects.visible_to(user).filter(pupil=pupil, activities__isnull=False)
        .order_by()
        .values_list("activities__at", "activities__kind", "activities__note", "pk", "kind",
                     "activities__actor__full_name")
    )  # fmt: skip
    steps, kinds = dict(ExclusionActivityKind.choices), dict(Kind.choices)
    url = record_urls("exclusions:detail")
    return [
        Entry(
            at=at,
            title=f"{kinds.get(kind, kind)}: {steps.get(step, step)}",
            byline=actor or "",
            description=note[:300],
            url=url(exclusion_id),
        )
        for at, step, note, exclusion_id, kind, actor in activities
    ]


def find_exclusions(user, reference: str):
    """A exclusion by its reference (EXC-000045), if the user can see it."""
    from accounts.finder import by_number
    from exclusions.models import Exclusion

    pk = by_number(Exclusion.REFERENCE_PREFIX, reference)
    if pk is None or not Exclusion.objects.visible_to(user).filter(pk=pk).exists():
        return None
    return Exclusion(pk=pk).get_absolute_url()

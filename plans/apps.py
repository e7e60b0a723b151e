from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Plans"

    def ready(self):
        expect_deadlines()


def expect_deadlines():
    """What ``reconcile_deadlines`` puts back for plans: an active plan's next review (and a
    part-time timetable's end date) is a live deadline."""
    from deadlines.expectations import expect_clock
    from plans.models import (
        BehaviourImprovementPlan,
        PartTimeTimetable,
        PastoralSupportPlan,
        PlanStatus,
        RiskAssessment,
    )
    from plans.services import TIMETABLE_CLOCKS, dated_clock

    expect_clock(
        "plan-review",
        lambda: PastoralSupportPlan.objects.filter(
            status=PlanStatus.ACTIVE, next_review_date__isnull=False
        ),
        because="the Pastoral Support Plan is active with a review date",
        build=lambda psp: dated_clock(
            psp, "plan-review", psp.next_review_date, f"PSP review for {psp.pupil}"
        ),
    )
    for kind, field, title in TIMETABLE_CLOCKS:
        expect_clock(
            kind,
            lambda: PartTimeTimetable.objects.filter(status=PlanStatus.ACTIVE),
            because=f"the part-time timetable is active ({title.lower()})",
            build=lambda t, kind=kind, field=field, title=title: dated_clock(
                t, kind, getattr(t, field), f"{title}: {t.pupil}"
            ),
        )
    expect_clock(
        "plan-review",
        lambda: BehaviourImprovementPlan.objects.filter(
            handed_to_school_on__isnull=False, next_review_date__isnull=False
        ),
        because="the school keeps the BIP under review",
        build=lambda bip: dated_clock(
            bip, "plan-review", bip.next_review_date, f"Review the BIP for {bip.pupil}"
        ),
    )
    expect_clock(
        "plan-review",
        lambda: RiskAssessment.objects.all(),
        because="the risk assessment has a review date",
    )

from django.apps import AppConfig

from deadlines.codes import KindCode


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Plans"

    def ready(self):
        expect_deadlines()
        register_personal_data()
        register_cohort()


def register_cohort():
    from plans.models import PartTimeTimetable, PepMeeting, PlanStatus
    from pupils import cohort

    cohort.register(cohort.Column(
        "timetables", "Part-time timetables",
        lambda user: PartTimeTimetable.objects.visible_to(user).filter(status=PlanStatus.ACTIVE),
        order=20,
    ))  # fmt: skip
    cohort.register(cohort.Column(
        "last_pep", "Last PEP meeting",
        lambda user: PepMeeting.objects.visible_to(user), latest="date", order=40,
    ))  # fmt: skip


def register_personal_data():
    """Every plan's words: PSPs with their targets and reviews, BIPs, part-time timetables and
    their reviews, risk assessments and PEP meetings."""
    from audit.personal_data import REMOVED, documents, holds, section
    from plans import models as m

    def words(*fields):
        return dict.fromkeys(fields, REMOVED)

    holds(m.PastoralSupportPlan, lambda p: m.PastoralSupportPlan.objects.filter(pupil=p),
          anonymised=words("people_involved", "pupil_views", "parent_views",
                           "areas_of_concern", "interventions_tried"))  # fmt: skip
    holds(m.Target, lambda p: m.Target.objects.filter(psp__pupil=p),
          anonymised=words("description", "strategies", "who_does_what",
                           "success_measure"))  # fmt: skip
    holds(m.PlanReview, lambda p: m.PlanReview.objects.filter(psp__pupil=p),
          anonymised=words("notes"))  # fmt: skip
    holds(m.TargetOutcome, lambda p: m.TargetOutcome.objects.filter(review__psp__pupil=p),
          anonymised=words("comment"))  # fmt: skip
    holds(m.BehaviourImprovementPlan,
          lambda p: m.BehaviourImprovementPlan.objects.filter(pupil=p),
          anonymised=words("understanding_of_needs", "strategies", "targets",
                           "who_does_what"))  # fmt: skip
    holds(m.PartTimeTimetable, lambda p: m.PartTimeTimetable.objects.filter(pupil=p),
          anonymised=words("reason", "return_plan", "consent_given_by"))  # fmt: skip
    holds(m.TimetableReview, lambda p: m.TimetableReview.objects.filter(timetable__pupil=p),
          anonymised=words("notes"))  # fmt: skip
    holds(m.RiskAssessment, lambda p: m.RiskAssessment.objects.filter(pupil=p),
          anonymised=words("triggers", "early_signs", "de_escalation",
                           "support_measures"))  # fmt: skip
    holds(m.PepMeeting, lambda p: m.PepMeeting.objects.filter(pupil=p),
          anonymised=words("attendees", "targets"))  # fmt: skip

    def plan_pdfs(pupil):
        from plans.export import document_for, to_pdf

        plans = [
            *m.PastoralSupportPlan.objects.filter(pupil=pupil),
            *m.BehaviourImprovementPlan.objects.filter(pupil=pupil),
            *m.PartTimeTimetable.objects.filter(pupil=pupil),
            *m.RiskAssessment.objects.filter(pupil=pupil),
        ]
        for index, plan in enumerate(plans, start=1):
            yield f"{index:02d}-{plan._meta.model_name}.pdf", to_pdf(document_for(plan))

    documents("plans", plan_pdfs)
    section("pep_meetings", lambda pupil, person: [
        {"date": x.date, "attendees": person(x.attendees), "targets": x.targets}
        for x in m.PepMeeting.objects.filter(pupil=pupil)
    ])  # fmt: skip


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
        KindCode.PLAN_REVIEW,
        lambda: PastoralSupportPlan.objects.filter(
            status=PlanStatus.ACTIVE, next_review_date__isnull=False
        ),
        because="the Pastoral Support Plan is active with a review date",
        build=lambda psp: dated_clock(
            psp, KindCode.PLAN_REVIEW, psp.next_review_date, f"PSP review for {psp.pupil}"
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
        KindCode.PLAN_REVIEW,
        lambda: BehaviourImprovementPlan.objects.filter(
            handed_to_school_on__isnull=False, next_review_date__isnull=False
        ),
        because="the school keeps the BIP under review",
        build=lambda bip: dated_clock(
            bip, KindCode.PLAN_REVIEW, bip.next_review_date, f"Review the BIP for {bip.pupil}"
        ),
    )
    expect_clock(
        KindCode.PLAN_REVIEW,
        lambda: RiskAssessment.objects.all(),
        because="the risk assessment has a review date",
    )

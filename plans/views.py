from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.models import Role
from accounts.policy import RoleMayNotAct, active_memberships
from audit.reads import note_read
from audit.services import record_access
from config.pages import form_page, posted
from plans import services
from plans.access import monitored_authorities
from plans.export import download
from plans.forms import (
    BipReviewForm,
    ExtendForm,
    FullTimeForm,
    PepMeetingForm,
    PspForm,
    PspReviewForm,
    RiskAssessmentForm,
    TargetForm,
    TimetableForm,
    TimetableReviewForm,
)
from plans.models import (
    BehaviourImprovementPlan,
    PartTimeTimetable,
    PastoralSupportPlan,
    PlanStatus,
    RiskAssessment,
)
from pupils.models import CareStatus, Pupil


def _school(request):
    membership = request.membership
    if membership is None or membership.role != Role.SCHOOL_STAFF:
        raise RoleMayNotAct
    return membership.organisation.school


def _page(request, form, *, title, save, done, message, back):
    return form_page(
        request,
        form,
        template="plans/form.html",
        context={"title": title, "back": back},
        save=save,
        done=done,
        message=message,
    )


def plan_list(request):
    """The school's plans, with those past their review date first."""
    school = _school(request)
    today = timezone.localdate()
    psps = list(
        PastoralSupportPlan.objects.visible_to(request.user)
        .filter(school=school, status=PlanStatus.ACTIVE)
        .select_related("pupil")
        .order_by("next_review_date", "pk")
    )
    timetables = list(
        PartTimeTimetable.objects.visible_to(request.user)
        .filter(school=school, status=PlanStatus.ACTIVE)
        .select_related("pupil")
        .order_by("end_date", "pk")
    )
    bips = BehaviourImprovementPlan.objects.visible_to(request.user).filter(school=school)
    for plan in psps + timetables:
        plan.review_overdue = bool(plan.next_review_date and plan.next_review_date < today)
    for timetable in timetables:
        timetable.past_end = timetable.end_date < today
    bips = list(bips.select_related("pupil"))
    note_read(request, [p.pupil_id for p in psps + timetables + bips], "school's plans")
    return render(
        request,
        "plans/list.html",
        {"psps": psps, "timetables": timetables, "bips": bips},
    )


def _pupil_at_school(request, pupil_pk):
    school = _school(request)
    pupil = get_object_or_404(
        Pupil.objects.visible_to(request.user).filter(
            enrolments__school=school, enrolments__end_date__isnull=True
        ),
        pk=pupil_pk,
    )
    return pupil, school


def new_psp(request, pupil_pk):
    pupil, school = _pupil_at_school(request, pupil_pk)
    return _page(
        request,
        PspForm(data=posted(request)),
        title=f"Pastoral Support Plan for {pupil.display_name}",
        save=lambda data: services.create_psp(request.user, pupil=pupil, school=school, **data),
        done=lambda psp: psp.get_absolute_url(),
        message="The plan is saved. Add its targets.",
        back=pupil_detail_url(pupil),
    )


def pupil_detail_url(pupil):
    from django.urls import reverse

    return reverse("pupils:detail", args=[pupil.pk])


def psp_detail(request, pk):
    psp = get_object_or_404(
        PastoralSupportPlan.objects.visible_to(request.user).select_related("pupil", "school"),
        pk=pk,
    )
    reviews = psp.reviews.prefetch_related("outcomes__target").select_related("recorded_by")
    note_read(request, [psp.pupil_id], "Pastoral Support Plan")
    return render(
        request,
        "plans/psp.html",
        {
            "psp": psp,
            "targets": psp.targets.all(),
            "reviews": reviews,
            "checklist": psp.completeness_in_words(),
            "is_school": _is_school_of(request, psp.school),
        },
    )


def _is_school_of(request, school) -> bool:
    return any(
        m.role == Role.SCHOOL_STAFF and m.organisation_id == school.organisation_id
        for m in active_memberships(request.user)
    )


def _own(request, model, pk):
    """A plan of the school the user works for: 404 for one they cannot see, 403 for one they
    see from elsewhere (a service, the virtual school) but may not change."""
    plan = get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    if not _is_school_of(request, plan.school):
        raise RoleMayNotAct
    return plan


def _own_psp(request, pk):
    return _own(request, PastoralSupportPlan, pk)


def _on_plan(request, plan, form, *, title, save, message):
    """A form about one of the school's plans that goes back to the plan: ``save`` is the
    service, called with the user, the plan and the form's answers."""
    return _page(
        request,
        form,
        title=title,
        save=lambda data: save(request.user, plan, **data),
        done=lambda result: plan.get_absolute_url(),
        message=message,
        back=plan.get_absolute_url(),
    )


def new_target(request, pk):
    return _on_plan(
        request, _own_psp(request, pk), TargetForm(data=posted(request)), title="Add a target",
        save=services.add_target, message="The target is added.",
    )  # fmt: skip


def new_review(request, pk):
    psp = _own_psp(request, pk)
    form = PspReviewForm(list(psp.targets.all()), data=posted(request))
    return _page(
        request,
        form,
        title="Record a review",
        save=lambda data: services.review_psp(
            request.user,
            psp,
            date=data["date"],
            notes=data["notes"],
            next_review_date=data["next_review_date"],
            outcomes=form.outcomes(),
        ),
        done=lambda review: psp.get_absolute_url(),
        message="The review is recorded.",
        back=psp.get_absolute_url(),
    )


def bip_detail(request, pk):
    bip = get_object_or_404(
        BehaviourImprovementPlan.objects.visible_to(request.user).select_related(
            "pupil", "case__service"
        ),
        pk=pk,
    )
    note_read(request, [bip.pupil_id], "Behaviour Improvement Plan")
    return render(request, "plans/bip.html", {"bip": bip})


def new_timetable(request, pupil_pk):
    pupil, school = _pupil_at_school(request, pupil_pk)
    return _page(
        request,
        TimetableForm(data=posted(request)),
        title=f"Part-time timetable (PT1) for {pupil.display_name}",
        save=lambda data: services.notify_part_time_timetable(
            request.user, pupil=pupil, school=school, **data
        ),
        done=lambda timetable: timetable.get_absolute_url(),
        message="The part-time timetable is notified to the monitoring service.",
        back=pupil_detail_url(pupil),
    )


def timetable_detail(request, pk):
    timetable = get_object_or_404(
        PartTimeTimetable.objects.visible_to(request.user).select_related("pupil", "school"),
        pk=pk,
    )
    note_read(request, [timetable.pupil_id], "part-time timetable")
    return render(
        request,
        "plans/timetable.html",
        {
            "timetable": timetable,
            "reviews": timetable.reviews.select_related("recorded_by"),
            "is_school": _is_school_of(request, timetable.school),
        },
    )


def _own_timetable(request, pk):
    return _own(request, PartTimeTimetable, pk)


def review_timetable(request, pk):
    return _on_plan(
        request, _own_timetable(request, pk), TimetableReviewForm(data=posted(request)),
        title="Review the part-time timetable", save=services.review_timetable,
        message="The review is recorded.",
    )  # fmt: skip


def extend_timetable(request, pk):
    return _on_plan(
        request, _own_timetable(request, pk), ExtendForm(data=posted(request)),
        title="Extend the part-time timetable", save=services.extend_timetable,
        message="The end date is changed.",
    )  # fmt: skip


def back_to_full_time(request, pk):
    timetable = _own_timetable(request, pk)
    return _on_plan(
        request, timetable, FullTimeForm(data=posted(request)), title="Back to full time",
        save=services.end_timetable,
        message=f"The part-time timetable has ended: {timetable.pupil} is back to full time.",
    )  # fmt: skip


def monitoring(request):
    """Seed 003: every part-time timetable "will be monitored by the service". Those past
    their end date, then those overdue a review, come first."""
    authorities = monitored_authorities(active_memberships(request.user))
    if not authorities:
        raise RoleMayNotAct
    today = timezone.localdate()
    timetables = list(
        PartTimeTimetable.objects.visible_to(request.user)
        .filter(status=PlanStatus.ACTIVE, school__organisation__local_authority__in=authorities)
        .select_related("pupil", "school")
    )
    for timetable in timetables:
        timetable.past_end = timetable.end_date < today
        timetable.review_overdue = timetable.next_review_date < today
        timetable.looked_after = timetable.pupil.care_status in CareStatus.virtual_school_cohort()
        timetable.social_worker = timetable.pupil.care_status in CareStatus.with_social_worker()
    timetables.sort(key=lambda t: (not t.past_end, not t.review_overdue, t.end_date, t.pk))
    note_read(request, [t.pupil_id for t in timetables], "part-time timetables monitored")
    return render(request, "plans/monitoring.html", {"timetables": timetables})


def psp_download(request, pk, fmt):
    psp = get_object_or_404(PastoralSupportPlan.objects.visible_to(request.user), pk=pk)
    record_access(
        request.user, request, kind="download", page="Pastoral Support Plan", pupil=psp.pupil
    )
    return download(psp, fmt)


def bip_download(request, pk, fmt):
    bip = get_object_or_404(BehaviourImprovementPlan.objects.visible_to(request.user), pk=pk)
    record_access(
        request.user, request, kind="download", page="Behaviour Improvement Plan", pupil=bip.pupil
    )
    return download(bip, fmt)


def timetable_download(request, pk, fmt):
    timetable = get_object_or_404(PartTimeTimetable.objects.visible_to(request.user), pk=pk)
    record_access(
        request.user, request, kind="download", page="part-time timetable", pupil=timetable.pupil
    )
    return download(timetable, fmt)


def new_risk_assessment(request, pupil_pk):
    pupil, school = _pupil_at_school(request, pupil_pk)
    return _page(
        request,
        RiskAssessmentForm(data=posted(request)),
        title=f"Risk assessment for {pupil.display_name}",
        save=lambda data: services.record_risk_assessment(
            request.user, pupil=pupil, school=school, **data
        ),
        done=lambda assessment: assessment.get_absolute_url(),
        message="The risk assessment is saved.",
        back=pupil_detail_url(pupil),
    )


def risk_assessment_detail(request, pk):
    assessment = get_object_or_404(
        RiskAssessment.objects.visible_to(request.user).select_related("pupil", "school"), pk=pk
    )
    note_read(request, [assessment.pupil_id], "risk assessment")
    return render(request, "plans/risk_assessment.html", {"assessment": assessment})


def risk_assessment_download(request, pk, fmt):
    assessment = get_object_or_404(RiskAssessment.objects.visible_to(request.user), pk=pk)
    record_access(
        request.user, request, kind="download", page="risk assessment", pupil=assessment.pupil
    )
    return download(assessment, fmt)


def new_pep(request, pupil_pk):
    """The designated teacher, or the virtual school, records a PEP meeting."""
    from pupils.models import Enrolment

    pupil = get_object_or_404(
        Pupil.objects.visible_to(request.user).filter(care_status=CareStatus.LOOKED_AFTER),
        pk=pupil_pk,
    )
    enrolment = Enrolment.objects.current().filter(pupil=pupil).select_related("school").first()
    if enrolment is None:
        raise Http404
    return _page(
        request,
        PepMeetingForm(data=posted(request)),
        title=f"PEP meeting for {pupil.display_name}",
        save=lambda data: services.record_pep_meeting(
            request.user, pupil=pupil, school=enrolment.school, **data
        ),
        done=lambda meeting: pupil_detail_url(pupil),
        message="The PEP meeting is recorded.",
        back=pupil_detail_url(pupil),
    )


def peps_this_term(request):
    """For the virtual school: looked-after pupils with no PEP meeting this term."""
    if not any(m.role == Role.VIRTUAL_SCHOOL_OFFICER for m in active_memberships(request.user)):
        raise RoleMayNotAct
    rows = services.pupils_without_pep_this_term(request.user, timezone.localdate())
    note_read(request, [pupil for pupil, _, _ in rows], "PEP meetings due")
    return render(request, "plans/peps.html", {"rows": rows})


def review_bip(request, pk):
    bip = get_object_or_404(BehaviourImprovementPlan.objects.visible_to(request.user), pk=pk)
    return _page(
        request,
        BipReviewForm(data=posted(request)),
        title="Set the BIP's next review",
        save=lambda data: services.review_bip(request.user, bip, **data),
        done=lambda result: bip.get_absolute_url(),
        message="The next review is set.",
        back=bip.get_absolute_url(),
    )

"""State changes for plans. Review and end dates are deadlines with reminders."""

import datetime

from django.utils import timezone

from accounts.models import Role
from accounts.policy import active_memberships
from config.actions import locked, service_action
from config.errors import DomainError, require_transition
from config.sync import require_new_external_id
from deadlines import services as deadline_services
from deadlines.codes import KindCode
from plans.models import (
    DONE,
    STANDS,
    TRANSITIONS,
    BehaviourImprovementPlan,
    Outcome,
    PartTimeTimetable,
    PastoralSupportPlan,
    PepMeeting,
    PlanReview,
    PlanStatus,
    RiskAssessment,
    Target,
    TargetOutcome,
    TimetableReview,
)

PSP_FIELDS = {
    "start_date", "planned_weeks", "review_every_weeks", "people_involved", "pupil_views",
    "parent_views", "areas_of_concern", "interventions_tried",
}  # fmt: skip


def _require_school_staff(actor, school) -> None:
    if not any(
        m.role == Role.SCHOOL_STAFF and m.organisation_id == school.organisation_id
        for m in active_memberships(actor)
    ):
        raise DomainError(f"Only staff of {school} can do this.")


def _require_active(plan, what: str) -> None:
    """A plan is reviewed, extended or ended only while it is active."""
    if plan.status != PlanStatus.ACTIVE:
        raise DomainError(f"This {what} has ended: write a new one.")


def _end(plan, what: str) -> None:
    require_transition(
        TRANSITIONS, PlanStatus(plan.status), PlanStatus.ENDED, what=what, stands=STANDS,
        done=DONE,
    )  # fmt: skip
    plan.status = PlanStatus.ENDED
    deadline_services.announce("status_changed", plan, school=plan.school, status=PlanStatus.ENDED)


def _review_deadline(actor, plan, *, title: str, due: datetime.date, school, pupil) -> None:
    deadline_services.cancel_deadlines_for(None, plan, reason="Next review date changed")
    if due is None:
        return
    deadline_services.create_deadline(actor, **dated_clock(plan, KindCode.PLAN_REVIEW, due, title))


def dated_clock(plan, kind: str, due: datetime.date, title: str) -> dict:
    """A plan's review or end date as a deadline of the school's staff (seed 003: plans are
    "school based and owned"; a part-time timetable "must be time-limited")."""
    return {
        "kind": kind,
        "subject": plan,
        "pupil": plan.pupil,
        "school": plan.school,
        "start_date": min(due, timezone.localdate()),
        "due_date": due,
        "title": title,
        "owner_organisation": plan.school.organisation,
        "owner_role": Role.SCHOOL_STAFF,
    }


TIMETABLE_CLOCKS = [
    (KindCode.PLAN_REVIEW, "next_review_date", "Review the part-time timetable"),
    (KindCode.TIMETABLE_END, "end_date", "Part-time timetable ends"),
]


@service_action
def create_psp(actor, *, pupil, school, **fields) -> PastoralSupportPlan:
    """A school's Pastoral Support Plan (seed 003). The first review falls ``review_every_weeks``
    after the start."""
    _require_school_staff(actor, school)
    if not pupil.enrolments.filter(school=school, end_date__isnull=True).exists():
        raise DomainError(f"{pupil} is not on roll at {school}.", field="pupil", code="not_on_roll")
    unknown = set(fields) - PSP_FIELDS
    if unknown:
        raise DomainError(f"Unknown fields: {', '.join(sorted(unknown))}")
    psp = PastoralSupportPlan(pupil=pupil, school=school, created_by=actor, **fields)
    psp.next_review_date = psp.start_date + datetime.timedelta(weeks=psp.review_every_weeks)
    psp.full_clean()
    psp.save()
    _review_deadline(
        actor, psp, title=f"PSP review for {pupil}", due=psp.next_review_date, school=school,
        pupil=pupil,
    )  # fmt: skip
    return psp


@service_action
def add_target(actor, psp: PastoralSupportPlan, **fields) -> Target:
    locked(psp)
    _require_school_staff(actor, psp.school)
    _require_active(psp, "plan")
    target = Target(psp=psp, **fields)
    target.full_clean()
    target.save()
    return target


@service_action
def review_psp(
    actor,
    psp: PastoralSupportPlan,
    *,
    date: datetime.date,
    outcomes: dict,
    next_review_date: datetime.date | None,
    notes: str = "",
) -> PlanReview:
    """Record a review: an outcome for every target, and the next review date. With no next
    review date the plan ends."""
    locked(psp)
    _require_school_staff(actor, psp.school)
    _require_active(psp, "plan")
    targets = list(psp.targets.all())
    missing = [t for t in targets if t.pk not in outcomes]
    if missing:
        raise DomainError(f"Record the outcome of every target: {missing[0]}", field="outcomes")
    if any(outcome not in Outcome.values for outcome in outcomes.values()):
        raise DomainError("An outcome must be achieved, partly or not yet", field="outcomes")
    if next_review_date is not None and next_review_date <= date:
        raise DomainError("The next review must be after this one", field="next_review_date")
    review = PlanReview.objects.create(
        psp=psp, date=date, notes=notes, next_review_date=next_review_date, recorded_by=actor
    )
    TargetOutcome.objects.bulk_create(
        TargetOutcome(review=review, target=target, outcome=outcomes[target.pk])
        for target in targets
    )
    deadline_services.satisfy_deadlines_for(actor, psp, KindCode.PLAN_REVIEW)
    psp.next_review_date = next_review_date
    if next_review_date is None:
        _end(psp, "plan")
    psp.save(update_fields=["next_review_date", "status"])
    _review_deadline(
        actor, psp, title=f"PSP review for {psp.pupil}", due=next_review_date, school=psp.school,
        pupil=psp.pupil,
    )  # fmt: skip
    return review


@service_action
def write_bip(actor, case, **fields) -> BehaviourImprovementPlan:
    """The BOSS caseworker writes (or updates) the case's Behaviour Improvement Plan."""
    locked(case)
    if case.service_id not in {
        m.organisation_id
        for m in active_memberships(actor)
        if m.role in {Role.CASEWORKER, Role.SERVICE_MANAGER}
    }:
        raise DomainError("Only the service working the case writes its BIP.")
    if case.status != "open":
        raise DomainError("A BIP is written while the case is open.")
    bip = BehaviourImprovementPlan.objects.filter(case=case).first() or BehaviourImprovementPlan(
        case=case, pupil=case.pupil, school=case.school
    )
    for field, value in fields.items():
        setattr(bip, field, value)
    bip.full_clean(exclude=["case"])
    bip.save()
    return bip


def hand_over_bip(case) -> BehaviourImprovementPlan | None:
    """Seed 000: on closure the BIP becomes the school's legacy document. Called inside the
    case-closure service's transaction."""
    bip = BehaviourImprovementPlan.objects.filter(case=case).first()
    if bip is not None and bip.handed_to_school_on is None:
        bip.handed_to_school_on = timezone.localdate()
        bip.save(update_fields=["handed_to_school_on"])
    return bip


TIMETABLE_FIELDS = {
    "reason", "hours_per_week", "start_date", "end_date", "return_plan", "next_review_date",
    "consent_given_by", "consent_given_on", "external_id",
}  # fmt: skip


@service_action
def notify_part_time_timetable(actor, *, pupil, school, **fields) -> PartTimeTimetable:
    """Form PT1. The end date is required: a part-time timetable "must not be treated as a
    long-term solution" (DfE School Attendance, p14, quoted in seed 003)."""
    _require_school_staff(actor, school)
    require_new_external_id(
        PartTimeTimetable, school, fields.get("external_id", ""), what="this part-time timetable"
    )
    if not pupil.enrolments.filter(school=school, end_date__isnull=True).exists():
        raise DomainError(f"{pupil} is not on roll at {school}.", field="pupil", code="not_on_roll")
    if not fields.get("end_date"):
        raise DomainError(
            "Enter the end date: a part-time timetable must be time-limited", field="end_date"
        )
    if fields.get("start_date") and fields["end_date"] < fields["start_date"]:
        raise DomainError("The end date must be after the start date", field="end_date")
    unknown = set(fields) - TIMETABLE_FIELDS
    if unknown:
        raise DomainError(f"Unknown fields: {', '.join(sorted(unknown))}")
    timetable = PartTimeTimetable(pupil=pupil, school=school, created_by=actor, **fields)
    timetable.full_clean()
    timetable.save()
    _timetable_deadlines(actor, timetable)
    return timetable


def _timetable_deadlines(actor, timetable: PartTimeTimetable) -> None:
    deadline_services.cancel_deadlines_for(None, timetable, reason="Dates changed")
    for kind, field, title in TIMETABLE_CLOCKS:
        deadline_services.create_deadline(
            actor,
            **dated_clock(
                timetable, kind, getattr(timetable, field), f"{title}: {timetable.pupil}"
            ),
        )


@service_action
def review_timetable(actor, timetable, *, date, notes: str, next_review_date) -> TimetableReview:
    locked(timetable)
    _require_school_staff(actor, timetable.school)
    _require_active(timetable, "part-time timetable")
    if not notes.strip():
        raise DomainError("Enter what the review found", field="notes")
    if next_review_date <= date:
        raise DomainError("The next review must be after this one", field="next_review_date")
    review = TimetableReview.objects.create(
        timetable=timetable, date=date, notes=notes, next_review_date=next_review_date,
        recorded_by=actor,
    )  # fmt: skip
    timetable.next_review_date = next_review_date
    timetable.save(update_fields=["next_review_date"])
    _timetable_deadlines(actor, timetable)
    return review


@service_action
def extend_timetable(actor, timetable, *, end_date: datetime.date) -> PartTimeTimetable:
    """Extending needs a review recorded since the timetable began or was last extended."""
    locked(timetable)
    _require_school_staff(actor, timetable.school)
    _require_active(timetable, "part-time timetable")
    since = timetable.last_extended_at or timetable.created_at
    if not timetable.reviews.filter(recorded_at__gte=since).exists():
        raise DomainError(
            "Record a review of the part-time timetable before extending it", field="end_date"
        )
    if end_date <= timetable.end_date:
        raise DomainError("The new end date must be after the current one", field="end_date")
    timetable.end_date = end_date
    timetable.last_extended_at = timezone.now()
    timetable.save(update_fields=["end_date", "last_extended_at"])
    _timetable_deadlines(actor, timetable)
    return timetable


@service_action
def end_timetable(actor, timetable, *, full_time_from: datetime.date) -> PartTimeTimetable:
    """The pupil is back on a full-time timetable: the part-time one ends, and its review and
    end-date reminders with it (DfE, Working together to improve school attendance: a
    part-time timetable is a temporary measure, with a plan to return to full time)."""
    locked(timetable)
    _require_school_staff(actor, timetable.school)
    if full_time_from < timetable.start_date:
        raise DomainError(
            f"The date must be on or after {timetable.start_date:%-d %B %Y}, when the part-time "
            "timetable started",
            field="full_time_from",
        )
    if full_time_from > timezone.localdate():
        raise DomainError("The date must be today or in the past", field="full_time_from")
    _end(timetable, "part-time timetable")
    timetable.full_time_from = full_time_from
    timetable.save(update_fields=["status", "full_time_from"])
    deadline_services.cancel_deadlines_for(None, timetable, reason="Back to full time")
    return timetable


RISK_FIELDS = {
    "triggers", "early_signs", "de_escalation", "support_measures", "review_date",
    "shared_with_pupil_on", "shared_with_parents_on", "shared_with_staff_on",
}  # fmt: skip


@service_action
def record_risk_assessment(actor, *, pupil, school, **fields) -> RiskAssessment:
    _require_school_staff(actor, school)
    unknown = set(fields) - RISK_FIELDS
    if unknown:
        raise DomainError(f"Unknown fields: {', '.join(sorted(unknown))}")
    assessment = RiskAssessment(pupil=pupil, school=school, created_by=actor, **fields)
    assessment.full_clean()
    assessment.save()
    _review_deadline(
        actor, assessment, title=f"Review the risk assessment for {pupil}",
        due=assessment.review_date, school=school, pupil=pupil,
    )  # fmt: skip
    return assessment


@service_action
def record_pep_meeting(actor, *, pupil, school, **fields) -> PepMeeting:
    """Seed 002: a PEP meeting every term for every looked-after child. Recorded by the
    school's designated teacher or the virtual school."""
    from pupils.models import CareStatus

    roles = {(m.organisation_id, m.role) for m in active_memberships(actor)}
    at_school = (school.organisation_id, Role.SCHOOL_STAFF) in roles
    virtual_school = any(role == Role.VIRTUAL_SCHOOL_OFFICER for _, role in roles)
    if not (at_school or virtual_school):
        raise DomainError("Only the school or the virtual school records PEP meetings.")
    if pupil.care_status != CareStatus.LOOKED_AFTER:
        raise DomainError("PEP meetings are for looked-after pupils.")
    if fields.get("date") and fields["date"] > timezone.localdate():
        raise DomainError("The meeting date must be today or in the past", field="date")
    meeting = PepMeeting(pupil=pupil, school=school, recorded_by=actor, **fields)
    meeting.full_clean()
    meeting.save()
    return meeting


def pupils_without_pep_this_term(user, today: datetime.date):
    """Looked-after pupils the user can see with no PEP meeting in their school's current
    term (or, in a holiday, the term just ended). Returns (pupil, school, term name) rows."""
    from deadlines.calendar import CalendarDataMissing, calendars_for
    from pupils.models import CareStatus, Enrolment, Pupil

    pupils = list(Pupil.objects.visible_to(user).filter(care_status=CareStatus.LOOKED_AFTER))
    enrolments = {
        e.pupil_id: e.school
        for e in Enrolment.objects.current()
        .filter(pupil__in=pupils)
        .select_related("school__organisation")
    }
    calendars = calendars_for(set(enrolments.values()))
    since = today - datetime.timedelta(days=200)
    meetings: dict[int, list[datetime.date]] = {}
    for pupil_id, day in PepMeeting.objects.filter(pupil__in=pupils, date__gte=since).values_list(
        "pupil_id", "date"
    ):
        meetings.setdefault(pupil_id, []).append(day)
    missing = []
    for pupil in pupils:
        school = enrolments.get(pupil.pk)
        if school is None:
            continue
        try:
            name, start, end = calendars[school.pk].whole_term_of(today)
        except CalendarDataMissing:
            continue
        if not any(start <= day <= end for day in meetings.get(pupil.pk, [])):
            missing.append((pupil, school, name))
    return sorted(missing, key=lambda row: (row[1].name, row[0].legal_last_name))


@service_action
def review_bip(
    actor, bip: BehaviourImprovementPlan, *, next_review_date
) -> BehaviourImprovementPlan:
    """After hand-over the school keeps reviewing the BIP (seed 000: it will "plan, implement,
    and review on-going support")."""
    locked(bip)
    if bip.handed_to_school_on is None:
        raise DomainError("The BIP is BOSS's until the case closes.")
    _require_school_staff(actor, bip.school)
    if next_review_date <= timezone.localdate():
        raise DomainError("The next review must be in the future", field="next_review_date")
    bip.next_review_date = next_review_date
    bip.save(update_fields=["next_review_date"])
    _review_deadline(
        actor, bip, title=f"Review the BIP for {bip.pupil}", due=next_review_date,
        school=bip.school, pupil=bip.pupil,
    )  # fmt: skip
    return bip

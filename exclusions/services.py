"""State changes for suspensions and permanent exclusions. Paragraph references are to the DfE
guidance "Suspension and permanent exclusion from maintained schools, academies and pupil
referral units in England" (2024); the numbers come from ``ExclusionRules``."""

import datetime

from django.utils import timezone

from accounts.models import Membership, OrganisationKind, Role
from accounts.policy import active_memberships
from audit.context import service_action
from config.errors import DomainError, require_transition
from deadlines import services as deadline_services
from deadlines.calendar import SchoolCalendar
from exclusions.models import (
    TRANSITIONS,
    Exclusion,
    ExclusionActivity,
    ExclusionActivityKind,
    ExclusionRules,
    Kind,
    Outcome,
    OutcomeKind,
    PanelDecision,
    ParentSupport,
    Status,
)
from pupils.models import CareStatus, SenStatus
from pupils.years import academic_year_of


def _event(exclusion, actor, kind, note="") -> None:
    ExclusionActivity.objects.create(
        exclusion=exclusion, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )  # fmt: skip


def _move(exclusion: Exclusion, status: str) -> None:
    require_transition(TRANSITIONS, Status(exclusion.status), Status(status), what="exclusion")
    exclusion.status = status


def _require_school(actor, school) -> None:
    if not any(
        m.role == Role.SCHOOL_STAFF and m.organisation_id == school.organisation_id
        for m in active_memberships(actor)
    ):
        raise DomainError(f"Only staff of {school} can do this.")


def _require(actor, exclusion: Exclusion, *who: str) -> None:
    """Who may record a step: the school's staff, the authority's exclusions officers, or a
    service working with the pupil (the behaviour officer supporting the parent, seed 004)."""
    memberships = active_memberships(actor)
    allowed = (
        (
            "school" in who
            and any(
                m.role == Role.SCHOOL_STAFF
                and m.organisation_id == exclusion.school.organisation_id
                for m in memberships
            )
        )
        or (
            "la" in who
            and any(
                m.role == Role.EXCLUSIONS_OFFICER
                and m.organisation_id == exclusion.school.organisation.local_authority_id
                for m in memberships
            )
        )
        or (
            "service" in who
            and any(m.role in {Role.CASEWORKER, Role.SERVICE_MANAGER} for m in memberships)
        )
    )
    if not allowed:
        raise DomainError("You cannot record this step of the exclusion.")


def _officers(authority_id) -> list:
    return [
        m.user
        for m in Membership.objects.active()
        .filter(organisation=authority_id, role=Role.EXCLUSIONS_OFFICER)
        .select_related("user")
    ]


def _deadline(exclusion, kind, *, start, title, owner="school", length=None):
    """One statutory step, counted in school days on the school's own calendar."""
    owner_fields = (
        {"owner_organisation": exclusion.school.organisation, "owner_role": Role.SCHOOL_STAFF}
        if owner == "school"
        else {
            "owner_organisation": exclusion.school.organisation.local_authority,
            "owner_role": Role.EXCLUSIONS_OFFICER,
        }
    )
    return deadline_services.create_deadline(
        None,
        kind=kind,
        subject=exclusion,
        pupil=exclusion.pupil,
        school=exclusion.school,
        start_date=start,
        title=f"{title}: {exclusion.pupil}",
        length=length,
        **owner_fields,
    )


def suspension_days(pupil, school, start: datetime.date, end: datetime.date, exclude=None):
    """Days of suspension (sessions / 2) that stand, starting between two dates."""
    suspensions = Exclusion.objects.counted().filter(
        pupil=pupil, school=school, kind=Kind.SUSPENSION, start_date__range=(start, end)
    )
    if exclude is not None:
        suspensions = suspensions.exclude(pk=exclude.pk)
    return sum((s.sessions or 0) for s in suspensions) / 2, suspensions.count()


@service_action
def notify_exclusion(actor, *, pupil, school, kind: str, reasons, **fields) -> Exclusion:
    """The school notifies a suspension or permanent exclusion; the steps that follow are
    scheduled from the school's calendar."""
    _require_school(actor, school)
    rules = ExclusionRules.current()
    if not pupil.enrolments.filter(school=school, end_date__isnull=True).exists():
        raise DomainError(f"{pupil} is not on roll at {school}.")
    reasons = list(reasons)
    if not 1 <= len(reasons) <= 3:
        raise DomainError("Select one, two or three reasons", field="reasons")
    calendar = SchoolCalendar(school)
    start = fields["start_date"]
    if not calendar.is_school_day(start):
        raise DomainError(
            f"The start date must be a school day at {school.name}", field="start_date"
        )
    sessions = fields.get("sessions")
    if kind == Kind.SUSPENSION and not sessions:
        raise DomainError("Enter the length of the suspension", field="sessions")
    if kind == Kind.PERMANENT:
        fields["sessions"] = None
    if pupil.care_status in CareStatus.with_social_worker() and not fields.get(
        "social_worker_told_on"
    ):
        raise DomainError(
            "Enter when the pupil's social worker was told (seed 002)",
            field="social_worker_told_on",
        )
    year = academic_year_of(start)
    if kind == Kind.SUSPENSION:
        so_far, _ = suspension_days(
            pupil, school, datetime.date(year, 8, 1), datetime.date(year + 1, 7, 31)
        )
        if so_far + sessions / 2 > rules.max_suspension_days_per_year:
            raise DomainError(
                f"{pupil} has {so_far:g} school days of suspension this school year: this one "
                f"would pass the maximum of {rules.max_suspension_days_per_year} "
                "(DfE guidance, 2024)",
                field="sessions",
            )
    exclusion = Exclusion(
        pupil=pupil, school=school, kind=kind, created_by=actor,
        board_told_on=timezone.localdate(), **fields,
    )  # fmt: skip
    exclusion.full_clean(exclude=["reasons"])
    exclusion.save()
    exclusion.reasons.set(reasons)
    _event(exclusion, actor, ExclusionActivityKind.NOTIFIED, exclusion.description)
    _schedule_statutory_steps(exclusion, rules, calendar)
    _flags(actor, exclusion, rules, calendar)
    _tell_others(exclusion)
    return exclusion


def board_must_meet(exclusion: Exclusion, rules, calendar) -> bool:
    """The board must consider reinstatement: a permanent exclusion; suspensions over 15 school
    days in a term; or a missed public examination or national test."""
    if exclusion.kind == Kind.PERMANENT or exclusion.misses_public_exam:
        return True
    return term_days(exclusion, calendar) > rules.board_must_meet_over_days


def term_days(exclusion: Exclusion, calendar) -> float:
    _, start, end = calendar.whole_term_of(exclusion.start_date)
    days, _ = suspension_days(exclusion.pupil, exclusion.school, start, end)
    return days


def _schedule_statutory_steps(exclusion, rules, calendar) -> None:
    if board_must_meet(exclusion, rules, calendar):
        _deadline(
            exclusion, "board-consider", start=exclusion.board_told_on,
            title="Governing board considers reinstatement", length=rules.board_meets_within,
        )  # fmt: skip
    consecutive_days = exclusion.days if exclusion.kind == Kind.SUSPENSION else None
    if exclusion.kind == Kind.PERMANENT or consecutive_days > rules.provision_from_day - 1:
        # The first day of the suspension is day 1, so the sixth is five school days on.
        _deadline(
            exclusion, "sixth-day", start=exclusion.start_date,
            title="Full-time education from the sixth day",
            owner="school" if exclusion.kind == Kind.SUSPENSION else "la",
            length=rules.provision_from_day - 1,
        )  # fmt: skip


def _flags(actor, exclusion, rules, calendar) -> None:
    """Seed 002: repeated exclusions mean the support in place is not working; a looked-after
    pupil's exclusion must follow contact with the virtual school head; an EHCP may need an
    emergency annual review."""
    flags = []
    if exclusion.kind == Kind.SUSPENSION:
        _, term_start, term_end = calendar.whole_term_of(exclusion.start_date)
        _, in_term = suspension_days(exclusion.pupil, exclusion.school, term_start, term_end)
        year = academic_year_of(exclusion.start_date)
        _, in_year = suspension_days(
            exclusion.pupil, exclusion.school, datetime.date(year, 8, 1),
            datetime.date(year + 1, 7, 31),
        )  # fmt: skip
        if (
            in_term >= rules.repeat_suspensions_in_term
            or in_year >= rules.repeat_suspensions_in_year
        ):
            flags.append(
                f"Repeat suspensions ({in_term} this term, {in_year} this year): the support in "
                "place is not working and a different intervention is needed"
            )
    contacted = exclusion.virtual_school_contacted_on
    if exclusion.pupil.care_status == CareStatus.LOOKED_AFTER and (
        contacted is None or contacted > exclusion.start_date
    ):
        flags.append(
            "Looked-after pupil excluded without prior contact with the virtual school head"
        )
    for flag in flags:
        _event(exclusion, actor, ExclusionActivityKind.FLAG, flag)
    if flags:
        school_staff = [
            m.user
            for m in Membership.objects.active()
            .filter(organisation=exclusion.school.organisation, role=Role.SCHOOL_STAFF)
            .select_related("user")
        ]
        deadline_services.notify_people(
            None,
            school_staff + _officers(exclusion.school.organisation.local_authority_id),
            subject=f"Flag: {exclusion.pupil}",
            body="\n".join(flags),
            url=exclusion.get_absolute_url(),
        )
    if exclusion.pupil.sen_status == SenStatus.EHCP:
        _deadline(
            exclusion, "action", start=exclusion.board_told_on,
            title="Consider an emergency annual review of the EHCP", length=5,
        )  # fmt: skip


def _tell_others(exclusion) -> None:
    """The LA is told the same day; the virtual school of every CLA or PLA exclusion
    (seed 002)."""
    what = f"{exclusion.get_kind_display()} of {exclusion.pupil} at {exclusion.school}"
    deadline_services.notify_people(
        None,
        _officers(exclusion.school.organisation.local_authority_id),
        subject=f"Notified: {what}",
        body=f"From {exclusion.start_date:%-d %B %Y}. {exclusion.description}",
        url=exclusion.get_absolute_url(),
    )
    if exclusion.pupil.care_status in CareStatus.virtual_school_cohort():
        officers = [
            m.user
            for m in Membership.objects.active()
            .filter(
                role=Role.VIRTUAL_SCHOOL_OFFICER,
                organisation__kind=OrganisationKind.VIRTUAL_SCHOOL,
                organisation__local_authority=exclusion.school.organisation.local_authority_id,
            )
            .select_related("user")
        ]
        deadline_services.notify_people(
            None,
            officers,
            subject=f"{exclusion.pupil.get_care_status_display()} pupil: {what}",
            body=f"From {exclusion.start_date:%-d %B %Y}.",
            url=exclusion.get_absolute_url(),
        )


@service_action
def withdraw_exclusion(actor, exclusion: Exclusion, *, reason: str) -> Exclusion:
    """The head may withdraw a suspension or exclusion the board has not yet considered."""
    _require_school(actor, exclusion.school)
    if exclusion.board_decided_on:
        raise DomainError("The governing board has considered it: it can no longer be withdrawn.")
    _move(exclusion, Status.WITHDRAWN)
    exclusion.save(update_fields=["status"])
    deadline_services.cancel_deadlines_for(None, exclusion, reason="Withdrawn")
    _event(exclusion, actor, ExclusionActivityKind.WITHDRAWN, reason)
    return exclusion


@service_action
def parents_ask_board(actor, exclusion: Exclusion, *, asked_on: datetime.date) -> Exclusion:
    """Over 5 and up to 15 days in a term: the board meets within 50 school days if the
    parents ask. 5 days or fewer: it considers their representations but need not meet and
    cannot reinstate."""
    _require(actor, exclusion, "school", "la")
    rules = ExclusionRules.current()
    calendar = SchoolCalendar(exclusion.school)
    if board_must_meet(exclusion, rules, calendar):
        raise DomainError("The board must meet anyway: its meeting is already scheduled.")
    exclusion.parents_asked_board_on = asked_on
    exclusion.save(update_fields=["parents_asked_board_on"])
    days = term_days(exclusion, calendar)
    if days > rules.parents_ask_threshold_days:
        _deadline(
            exclusion, "board-consider-requested", start=asked_on,
            title="Governing board considers the parents' request",
            length=rules.parents_ask_meets_within,
        )  # fmt: skip
        note = (
            f"{days:g} days this term: the board meets within "
            f"{rules.parents_ask_meets_within} school days"
        )
    else:
        note = (
            f"{days:g} days this term: the board considers the parents' representations but "
            "need not meet and cannot reinstate"
        )
    _event(exclusion, actor, ExclusionActivityKind.PARENTS_ASKED, note)
    return exclusion


@service_action
def record_board_decision(
    actor, exclusion: Exclusion, *, reinstate: bool, decided_on, parents_told_on, note=""
) -> Exclusion:
    _require(actor, exclusion, "school")
    rules = ExclusionRules.current()
    calendar = SchoolCalendar(exclusion.school)
    short = term_days(exclusion, calendar) <= rules.parents_ask_threshold_days
    if reinstate and exclusion.kind == Kind.SUSPENSION and short:
        raise DomainError(
            f"With {rules.parents_ask_threshold_days} days or fewer in a term the board "
            "cannot reinstate",
            field="reinstate",
        )
    _move(exclusion, Status.REINSTATED if reinstate else Status.UPHELD)
    exclusion.board_decided_on = decided_on
    exclusion.parents_told_of_decision_on = parents_told_on
    exclusion.board_decision_note = note
    exclusion.save()
    for kind in ("board-consider", "board-consider-requested"):
        deadline_services.satisfy_deadlines_for(actor, exclusion, kind)
    if reinstate:
        deadline_services.cancel_deadlines_for(None, exclusion, reason="Reinstated")
    elif exclusion.kind == Kind.PERMANENT:
        _deadline(
            exclusion, "review-application", start=parents_told_on,
            title="Parents may apply for an independent review", owner="la",
            length=rules.review_application_within,
        )  # fmt: skip
    _event(
        exclusion, actor, ExclusionActivityKind.BOARD,
        f"{'Reinstated' if reinstate else 'Upheld'} on {decided_on:%-d %B %Y}. {note}".strip(),
    )  # fmt: skip
    return exclusion


def _live(exclusion, kind):
    from django.contrib.contenttypes.models import ContentType

    from deadlines.models import Deadline

    return (
        Deadline.objects.live()
        .filter(
            subject_type=ContentType.objects.get_for_model(Exclusion),
            subject_id=exclusion.pk,
            kind__code=kind,
        )
        .first()
    )


@service_action
def apply_for_review(actor, exclusion: Exclusion, *, applied_on, sen_expert: bool) -> Exclusion:
    _require(actor, exclusion, "school", "la")
    rules = ExclusionRules.current()
    window = _live(exclusion, "review-application")
    if window is None or applied_on > window.due_date:
        raise DomainError(
            "The time to apply for an independent review has passed", field="applied_on"
        )
    _move(exclusion, Status.UNDER_REVIEW)
    exclusion.review_applied_on = applied_on
    exclusion.sen_expert_requested = sen_expert
    exclusion.save()
    deadline_services.satisfy_deadlines_for(actor, exclusion, "review-application")
    _deadline(
        exclusion, "panel-meeting", start=applied_on, title="Independent review panel meets",
        owner="la", length=rules.panel_meets_within,
    )  # fmt: skip
    _event(
        exclusion, actor, ExclusionActivityKind.REVIEW_APPLIED,
        "With a SEN expert, as the parents asked" if sen_expert else "",
    )  # fmt: skip
    return exclusion


@service_action
def record_panel_decision(
    actor, exclusion: Exclusion, *, decision: str, decided_on, board_told_on
) -> Exclusion:
    _require(actor, exclusion, "school", "la")
    rules = ExclusionRules.current()
    if decision not in PanelDecision.values:
        raise DomainError("Select the panel's decision", field="decision")
    _move(exclusion, Status.CONCLUDED if decision == PanelDecision.UPHOLD else Status.RECONSIDER)
    exclusion.panel_decision = decision
    exclusion.panel_decided_on = decided_on
    exclusion.board_told_of_panel_on = board_told_on
    exclusion.save()
    deadline_services.satisfy_deadlines_for(actor, exclusion, "panel-meeting")
    if decision != PanelDecision.UPHOLD:
        _deadline(
            exclusion, "board-reconsider", start=board_told_on, title="Governing board reconsiders",
            length=rules.board_reconsiders_within,
        )  # fmt: skip
    _event(exclusion, actor, ExclusionActivityKind.PANEL, PanelDecision(decision).label)
    return exclusion


@service_action
def record_reconsideration(actor, exclusion: Exclusion, *, reinstate: bool, on) -> Exclusion:
    _require(actor, exclusion, "school")
    _move(exclusion, Status.REINSTATED if reinstate else Status.CONCLUDED)
    exclusion.save(update_fields=["status"])
    deadline_services.satisfy_deadlines_for(actor, exclusion, "board-reconsider")
    _event(
        exclusion, actor, ExclusionActivityKind.RECONSIDERED,
        f"{'Reinstated' if reinstate else 'Exclusion stands'} on {on:%-d %B %Y}",
    )  # fmt: skip
    return exclusion


@service_action
def record_sixth_day_provision(actor, exclusion: Exclusion, *, provision: str) -> Exclusion:
    """The school arranges it for a suspension, the authority for a permanent exclusion."""
    _require(actor, exclusion, "school" if exclusion.kind == Kind.SUSPENSION else "la")
    if not provision.strip():
        raise DomainError("Enter the provision arranged", field="provision")
    exclusion.sixth_day_provision = provision.strip()
    exclusion.save(update_fields=["sixth_day_provision"])
    deadline_services.satisfy_deadlines_for(actor, exclusion, "sixth-day")
    _event(exclusion, actor, ExclusionActivityKind.PROVISION, exclusion.sixth_day_provision)
    return exclusion


@service_action
def remove_from_roll(actor, exclusion: Exclusion, *, on: datetime.date) -> Exclusion:
    """The pupil comes off roll only once the time to apply for a review has passed or the
    review is over."""
    from pupils import services as pupil_services

    _require(actor, exclusion, "school")
    if exclusion.kind != Kind.PERMANENT:
        raise DomainError("Only a permanent exclusion takes a pupil off roll.")
    window = _live(exclusion, "review-application")
    waiting = exclusion.status == Status.UPHELD and window is not None and on <= window.due_date
    if exclusion.status not in {Status.UPHELD, Status.CONCLUDED} or waiting:
        raise DomainError(
            "The pupil stays on roll until the time to apply for a review has passed or the "
            "review is over.",
            field="on",
        )
    enrolment = exclusion.pupil.enrolments.filter(school=exclusion.school, end_date__isnull=True)
    for current in enrolment:
        pupil_services.end_enrolment(actor, current, end_date=on)
    if exclusion.status == Status.UPHELD:
        _move(exclusion, Status.CONCLUDED)
        exclusion.save(update_fields=["status"])
        deadline_services.cancel_deadlines_for(None, exclusion, reason="Off roll")
    _event(exclusion, actor, ExclusionActivityKind.OFF_ROLL, f"From {on:%-d %B %Y}")
    return exclusion


@service_action
def reintegrate(actor, exclusion: Exclusion, *, new_school, start_date, meeting_on, review_on):
    """Seed 000: a pupil reintegrating into mainstream after a permanent exclusion
    automatically has BOSS support: the new school's enrolment opens the BOSS referral."""
    from pupils import services as pupil_services
    from referrals import services as referral_services

    _require(actor, exclusion, "school", "la")
    if exclusion.kind != Kind.PERMANENT:
        raise DomainError("Reintegration follows a permanent exclusion.")
    if new_school.pk == exclusion.school_id:
        raise DomainError("Choose the new school", field="new_school")
    pupil_services.enrol_pupil(actor, exclusion.pupil, new_school, start_date=start_date)
    referral = referral_services.create_reintegration_referral(
        actor,
        pupil=exclusion.pupil,
        school=new_school,
        note=f"Reintegration at {new_school} after the permanent exclusion from "
        f"{exclusion.school}.",
    )
    outcome = Outcome.objects.create(
        exclusion=exclusion, kind=OutcomeKind.REINTEGRATION, start_date=start_date,
        provider=new_school.name, meeting_on=meeting_on, review_on=review_on,
        recorded_by=actor,
    )  # fmt: skip
    if review_on:
        deadline_services.create_deadline(
            actor, kind="action", subject=outcome, pupil=exclusion.pupil, school=new_school,
            start_date=start_date, due_date=review_on, title="Review the reintegration",
            owner_organisation=new_school.organisation, owner_role=Role.SCHOOL_STAFF,
        )  # fmt: skip
    _event(
        exclusion, actor, ExclusionActivityKind.REINTEGRATION,
        f"At {new_school} from {start_date:%-d %B %Y}; BOSS referral {referral.reference}",
    )  # fmt: skip
    return referral


@service_action
def record_outcome(actor, exclusion: Exclusion, **fields) -> Outcome:
    """Seed 001: managed moves and alternative provision, with their dates."""
    _require(actor, exclusion, "school", "la", "service")
    outcome = Outcome(exclusion=exclusion, recorded_by=actor, **fields)
    outcome.full_clean()
    outcome.save()
    _event(exclusion, actor, ExclusionActivityKind.OUTCOME, str(outcome))
    return outcome


@service_action
def record_parent_support(actor, exclusion: Exclusion, **fields) -> ParentSupport:
    """Seed 004: Stage 1 advice or Stage 2 support at a meeting, with a volunteer if needed."""
    _require(actor, exclusion, "service")
    support = ParentSupport(exclusion=exclusion, recorded_by=actor, **fields)
    support.full_clean()
    support.save()
    _event(exclusion, actor, ExclusionActivityKind.SUPPORT, support.get_stage_display())
    return support

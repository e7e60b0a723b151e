"""State changes for casework."""

import datetime

from django.utils import timezone

from accounts.models import Membership, Role
from accounts.policy import active_memberships, belongs_to
from accounts.selectors import virtual_school_officers
from cases.access import works_case
from cases.models import (
    DONE,
    STANDS,
    TRANSITIONS,
    Case,
    CaseActivity,
    CaseActivityKind,
    CaseStatus,
    ClosureReason,
    Contact,
    Evaluation,
    MultiAgencyMeeting,
    Respondent,
    ServiceSettings,
)
from config.actions import locked, service_action
from config.errors import DomainError, require_transition
from deadlines import services as deadline_services
from deadlines.calendar import SchoolCalendar
from deadlines.codes import Counting, KindCode
from deadlines.selectors import live_deadline, live_for
from pupils.models import CareStatus
from referrals import services as referral_services
from referrals.models import STANDS as REFERRAL_STANDS
from referrals.models import Referral, Status

# An action's words, with the pupil's name after them, are its deadline's title (200 at most).
ACTION_MAX_LENGTH = 150


def settings_for(service) -> ServiceSettings:
    return ServiceSettings.objects.filter(service=service).first() or ServiceSettings(
        service=service
    )


@service_action
def allocate_referral(actor, referral: Referral, *, caseworker) -> Case:
    """A service manager allocates an accepted referral to a caseworker of the service: the
    case opens, the allocation target is recorded as met or missed (seed 001: "allocated
    within 2 weeks"), and the service's own clocks start."""
    locked(referral)
    managed = {
        m.organisation_id for m in active_memberships(actor) if m.role == Role.SERVICE_MANAGER
    }
    if referral.service_id not in managed:
        raise DomainError("Only a manager of the receiving service can allocate this referral.")
    if referral.status != Status.ACCEPTED:
        raise DomainError(
            f"This referral {REFERRAL_STANDS[Status(referral.status)]}: only an accepted "
            "referral waiting for allocation can be allocated."
        )
    is_caseworker = Membership.objects.active().filter(
        user=caseworker, organisation=referral.service, role=Role.CASEWORKER
    )
    if not is_caseworker.exists():
        raise DomainError(
            f"{caseworker} is not a caseworker of {referral.service.name}.", field="caseworker"
        )
    today = timezone.localdate()
    allocation = live_deadline(referral, KindCode.ALLOCATION)
    service_settings = settings_for(referral.service)
    case = Case.objects.create(
        referral=referral,
        pupil=referral.pupil,
        service=referral.service,
        school=referral.school,
        caseworker=caseworker,
        confidential=service_settings.confidential,
        sensitive=referral.sensitive,
        opened_on=today,
    )
    referral.allocated_at = timezone.now()
    referral.allocation_target_met = allocation is None or today <= allocation.due_date
    referral.save(update_fields=["allocated_at", "allocation_target_met"])
    referral_services.mark_allocated(actor, referral)
    _activity(case, actor, CaseActivityKind.OPENED, f"Allocated to {caseworker}")
    _start_case_clocks(case, service_settings, today)
    _tell_the_caseworker(case, actor)
    return case


def _tell_the_caseworker(case: Case, actor) -> None:
    """The caseworker hears of a case allocated to them where they will look: their
    notifications (and e-mail), with a link to the case."""
    if getattr(actor, "pk", None) == case.caseworker_id:
        return
    deadline_services.notify_people(
        None,
        [case.caseworker],
        subject=f"Case allocated to you: {case.pupil.display_name} ({case.service.name})",
        body=f"{case.referral.reference}, from {case.school.name if case.school else 'no school'}. "
        f"Allocated by {getattr(actor, 'full_name', '') or 'the service'}.",
        url=case.get_absolute_url(),
    )


def _start_case_clocks(case: Case, service_settings: ServiceSettings, today: datetime.date):
    if service_settings.maximum_involvement_weeks:
        deadline_services.create_deadline(
            None, **maximum_involvement_clock(case, service_settings, start=today)
        )
    if service_settings.contact_parent_on_allocation:
        deadline_services.create_deadline(
            None,
            kind=KindCode.PARENT_CONTACT,
            subject=case,
            pupil=case.pupil,
            school=case.school,
            start_date=today,
            title=f"Contact {case.pupil}'s parent or carer today",
            owner_user=case.caseworker,
        )


def maximum_involvement_clock(case: Case, service_settings=None, *, start=None) -> dict:
    """Seed 000: BOSS "will withdraw after a maximum of 22 weeks", counted in school weeks
    from the day the case opened (or calendar weeks, for a service that counts those)."""
    service_settings = service_settings or settings_for(case.service)
    weeks = service_settings.maximum_involvement_weeks
    school_weeks = service_settings.counts_school_weeks
    return {
        "kind": KindCode.BOSS_MAXIMUM_INVOLVEMENT,
        "subject": case,
        "pupil": case.pupil,
        "school": case.school if school_weeks else None,
        "start_date": start or case.opened_on,
        "title": f"{case.pupil}: {weeks} weeks of {case.service.name} involvement",
        "owner_user": case.caseworker,
        "length": weeks if school_weeks else weeks * 7,
        "counting": None if school_weeks else Counting.CALENDAR_DAYS,
    }


@service_action
def record_contact(actor, case: Case, **fields) -> Contact:
    """Form B/ex3: a contact on an open case, by a member of its service."""
    locked(case)
    if case.status != CaseStatus.OPEN:
        raise DomainError("Contacts are recorded on open cases only.")
    if not belongs_to(actor, case.service_id):
        raise DomainError("Only the service working the case can record its contacts.")
    if fields.get("date") and fields["date"] > timezone.localdate():
        raise DomainError("The date of the contact must be today or in the past.", field="date")
    contact = Contact(case=case, recorded_by=actor, **fields)
    contact.full_clean()
    contact.save()
    if contact.with_parent:
        deadline_services.satisfy_deadlines_for(actor, case, KindCode.PARENT_CONTACT)
    return contact


def weeks_used(
    case: Case,
    today: datetime.date,
    calendar: SchoolCalendar | None = None,
    *,
    counts_school_weeks: bool = True,
) -> int:
    """Weeks of involvement so far: school weeks on the school's calendar (half terms and
    holidays do not count), or calendar weeks for a service that counts those (seed 000)."""
    end = case.closed_on or today
    if calendar is None or not counts_school_weeks:
        return (end - case.opened_on).days // 7
    return calendar.school_weeks_between(case.opened_on, end)


def _activity(case: Case, actor, kind: str, note: str = "") -> CaseActivity:
    return CaseActivity.objects.create(
        case=case, kind=kind, actor=actor if getattr(actor, "pk", None) else None, note=note
    )


def _require_service_member(actor, case: Case, *, manager: bool = False) -> None:
    if not works_case(actor, case, manager=manager):
        who = "a manager of" if manager else "a member of"
        raise DomainError(f"Only {who} {case.service.name} can do this.")


@service_action
def reallocate_case(actor, case: Case, *, caseworker) -> Case:
    locked(case)
    _require_service_member(actor, case, manager=True)
    if case.status != CaseStatus.OPEN:
        raise DomainError("Only an open case can be reallocated.")
    if (
        not Membership.objects.active()
        .filter(user=caseworker, organisation=case.service, role=Role.CASEWORKER)
        .exists()
    ):
        raise DomainError(
            f"{caseworker} is not a caseworker of {case.service.name}.", field="caseworker"
        )
    previous = case.caseworker
    case.caseworker = caseworker
    case.save(update_fields=["caseworker"])
    for deadline in live_for(case).filter(owner_user=previous):
        deadline.owner_user = caseworker
        deadline.save(update_fields=["owner_user"])
    _activity(case, actor, CaseActivityKind.REALLOCATED, f"From {previous} to {caseworker}")
    _tell_the_caseworker(case, actor)
    return case


@service_action
def agree_action(actor, case: Case, *, description: str, owner, due_date: datetime.date):
    """Form B/ex4: an agreed next action, with its owner and due date, is a deadline."""
    locked(case)
    _require_service_member(actor, case)
    if case.status != CaseStatus.OPEN:
        raise DomainError("Actions are agreed on open cases only.")
    if not description.strip():
        raise DomainError("Enter the action agreed", field="description")
    if len(description.strip()) > ACTION_MAX_LENGTH:
        raise DomainError(
            f"The action must be {ACTION_MAX_LENGTH} characters or fewer", field="description"
        )
    deadline = deadline_services.create_deadline(
        actor,
        kind=KindCode.ACTION,
        subject=case,
        pupil=case.pupil,
        school=case.school,
        start_date=timezone.localdate(),
        title=f"{description.strip()} ({case.pupil})",
        owner_user=owner,
        due_date=due_date,
    )
    _activity(
        case,
        actor,
        CaseActivityKind.ACTION,
        f"{description.strip()}: {owner}, by {due_date:%-d %B %Y}",
    )
    return deadline


@service_action
def record_meeting(actor, case: Case, **fields) -> MultiAgencyMeeting:
    _require_service_member(actor, case)
    meeting = MultiAgencyMeeting(case=case, recorded_by=actor, **fields)
    meeting.full_clean()
    meeting.save()
    _activity(
        case,
        actor,
        CaseActivityKind.MEETING,
        f"{meeting.attendees}. Next steps: {meeting.next_steps}",
    )
    return meeting


@service_action
def close_case(actor, case: Case, *, reason: str, risk_continues: bool, note: str = "") -> Case:
    """Close with a reason. Seed 000: if risk continues, a multi-agency meeting (with the
    virtual school for a child in care) must consider next steps first. Seed 004: everyone is
    told, and the evaluation (B/ex6) is sent the same day. The referral closes with its last
    open episode, so the school may refer the pupil again."""
    locked(case)
    _require_service_member(actor, case)
    require_transition(
        TRANSITIONS, CaseStatus(case.status), CaseStatus.CLOSED, what="case", stands=STANDS,
        done=DONE,
    )  # fmt: skip
    check_closure(case, reason=reason, risk_continues=risk_continues, note=note)
    case.status = CaseStatus.CLOSED
    case.closed_on = timezone.localdate()
    case.closure_reason = reason
    case.closure_note = note.strip()
    case.risk_continues = risk_continues
    case.save()
    deadline_services.cancel_deadlines_for(None, case, reason="Case closed")
    from plans.services import hand_over_bip

    handed_over = " The BIP has passed to the school." if hand_over_bip(case) else ""
    _activity(
        case,
        actor,
        CaseActivityKind.CLOSED,
        f"{ClosureReason(reason).label}. {note}".strip() + handed_over,
    )
    case.told = _tell_everyone_of_closure(case)
    if not Case.objects.filter(referral=case.referral_id, status=CaseStatus.OPEN).exists():
        referral_services.close_referral(actor, case.referral, reason="Its case has closed.")
    return case


def check_closure(case: Case, *, reason: str, risk_continues: bool, note: str = "") -> None:
    """The closure's rules, checked before the caseworker is asked to confirm and again as it
    closes: a reason; for "other", in words; and if risk continues, a multi-agency meeting
    first, with the virtual school for a child in care (seed 000)."""
    if reason not in ClosureReason.values:
        raise DomainError("Select the reason for closing the case", field="reason")
    if reason == ClosureReason.OTHER and not note.strip():
        raise DomainError("Enter the reason for closing the case", field="note")
    if risk_continues:
        meetings = case.meetings.all()
        if not meetings:
            raise DomainError(
                "Risk continues: record the multi-agency meeting that agreed the next steps "
                "before closing the case",
                field="risk_continues",
            )
        in_care = case.pupil.care_status == CareStatus.LOOKED_AFTER
        if in_care and not any(m.virtual_school_attended for m in meetings):
            raise DomainError(
                "Risk continues for a looked-after pupil: the virtual school must be at the "
                "multi-agency meeting",
                field="risk_continues",
            )


def closure_audience(case: Case) -> dict:
    """Who is told when the case closes: the school's staff (unless the service works at arm's
    length, seed 004), the virtual school for its cohort (seed 002), and the parents or carers
    with an e-mail address. Read once for the confirmation page and again for the telling."""
    school_staff = (
        [
            m.user
            for m in Membership.objects.active()
            .filter(organisation__school=case.school, role=Role.SCHOOL_STAFF)
            .select_related("user")
        ]
        if case.school_id and not case.confidential
        else []
    )
    virtual_school = (
        case.pupil.care_status in CareStatus.virtual_school_cohort() and not case.confidential
    )
    parents = list(case.pupil.contacts.filter(relationship="parent_carer").exclude(email=""))
    return {"school_staff": school_staff, "virtual_school": virtual_school, "parents": parents}


def told_in_words(case: Case, audience: dict) -> list[str]:
    told = []
    if audience["school_staff"]:
        told.append(f"the school ({case.school.name})")
    if audience["virtual_school"]:
        told.append("the virtual school")
    told += [f"{parent.name} (by e-mail)" for parent in audience["parents"]]
    return told


def _tell_everyone_of_closure(case: Case) -> list[str]:
    """Tell the school, the virtual school (for its cohort) and the parents; returns who was
    told, in words, for the confirmation the caseworker reads. The parent is asked for the
    evaluation (form B/ex6) only by the service that posts it (seed 004); the school rates the
    service out of 5 (seed 001)."""
    from django.urls import reverse

    audience = closure_audience(case)
    link = reverse("cases:evaluate", args=[case.pk])
    deadline_services.notify_people(
        None,
        audience["school_staff"],
        subject=f"{case.service.name} has closed its case for {case.pupil}",
        body=f"Reason: {case.get_closure_reason_display()}.\n\nPlease tell us how we did: "
        f"rate the service out of 5 at {link}",
        url=link,
    )
    if audience["virtual_school"]:
        deadline_services.notify_people(
            None,
            virtual_school_officers(
                case.pupil.looked_after_by_id or case.service.local_authority_id
            ),
            subject=f"Case closed: {case.pupil} ({case.pupil.get_care_status_display()})",
            body=f"{case.service.name} closed its case. Reason: "
            f"{case.get_closure_reason_display()}.",
        )
    evaluation = settings_for(case.service).posts_parent_evaluation
    for parent in audience["parents"]:
        deadline_services.email_address(
            None,
            parent.email,
            subject=f"{case.service.name}: our work with {case.pupil.display_name} has ended",
            body="Thank you for working with us."
            + (
                " We would like to know how we did (form B/ex6): please reply to this e-mail "
                "or tell your caseworker. Your answers are reported without your name."
                if evaluation
                else ""
            ),
            authority=case.service.local_authority,
        )
    return told_in_words(case, audience)


@service_action
def reopen_case(actor, case: Case, *, reason: str) -> Case:
    """A new episode linked to the closed one; every earlier record stays readable (seed 004:
    "Cases can be reopened, keeping earlier records")."""
    locked(case)
    _require_service_member(actor, case)
    if case.status != CaseStatus.CLOSED:
        raise DomainError("Only a closed case can be reopened.")
    if Case.objects.filter(previous=case).exists():
        raise DomainError("This case has already been reopened.")
    if not reason.strip():
        raise DomainError("Enter why the case is reopened", field="reason")
    if case.referral.status == Status.CLOSED:
        referral_services.reopen_referral(actor, case.referral)
    episode = Case.objects.create(
        referral=case.referral,
        previous=case,
        pupil=case.pupil,
        service=case.service,
        school=case.school,
        caseworker=case.caseworker,
        confidential=case.confidential,
        sensitive=case.sensitive,
        opened_on=timezone.localdate(),
    )
    _activity(episode, actor, CaseActivityKind.REOPENED, reason.strip())
    _start_case_clocks(episode, settings_for(case.service), timezone.localdate())
    return episode


@service_action
def record_evaluation(actor, case: Case, *, respondent: str, rating=None, answers: str = ""):
    """The school rates the service out of 5 (seed 001); a parent's answers to form B/ex6,
    posted by the parent partnership service on closing a stage 2 referral, are recorded by
    its caseworker (seed 004)."""
    locked(case)
    if case.status != CaseStatus.CLOSED:
        raise DomainError("An evaluation is recorded once the case has closed.")
    if respondent == Respondent.SCHOOL and rating is None:
        raise DomainError("Select a rating from 1 to 5", field="rating")
    if respondent == Respondent.PARENT and not settings_for(case.service).posts_parent_evaluation:
        raise DomainError(
            "The parent's evaluation (form B/ex6) is posted by the parent partnership service "
            "when it closes a case, not by this service."
        )
    if Evaluation.objects.filter(case=case, respondent=respondent).exists():
        raise DomainError("An evaluation from them has already been recorded.")
    evaluation = Evaluation(
        case=case, respondent=respondent, rating=rating, answers=answers, recorded_by=actor
    )
    evaluation.full_clean()
    evaluation.save()
    _activity(case, actor, CaseActivityKind.EVALUATION, Respondent(respondent).label)
    return evaluation

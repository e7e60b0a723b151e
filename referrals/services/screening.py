"""The gateway screens a referral (seed 000 and 003): takes it, asks the school for more,
accepts, declines or redirects it; the school answers."""

from django.utils import timezone

from accounts.models import OrganisationKind
from config.actions import locked, service_action
from config.errors import DomainError
from deadlines import services as deadline_services
from deadlines.calendar import SchoolCalendar
from deadlines.codes import KindCode
from deadlines.selectors import live_deadline
from referrals.access import can_screen
from referrals.models import (
    BOSS_CODE,
    PRT_CODE,
    SCREENING_STATUSES,
    EventKind,
    Redirection,
    Referral,
    Status,
)
from referrals.selectors import checklist_items
from referrals.services.common import (
    _check_open,
    _event,
    _move,
    _require_same_authority,
    _require_screening,
    _school_staff_at,
    _start_allocation_clock,
    _tell_school,
)


def _require_screener(actor, referral: Referral) -> None:
    if not can_screen(actor, referral):
        raise DomainError("Only the gateway that received this referral can screen it.")


@service_action
def take_for_screening(actor, referral: Referral) -> Referral:
    """A screener takes a referral from the gateway's shared queue, so that the team can see
    who is dealing with it ("assigned to me"). Taking one someone else has taken is refused
    with their name: two screeners must not screen the same referral at once."""
    locked(referral)
    _require_screener(actor, referral)
    if referral.status not in SCREENING_STATUSES:
        raise DomainError("This referral has already been screened.")
    if referral.screener_id == actor.pk:
        return referral
    if referral.screener_id is not None:
        raise DomainError(f"{referral.screener.full_name} has already taken this referral.")
    referral.screener = actor
    referral.save(update_fields=["screener"])
    return referral


@service_action
def request_more_information(actor, referral: Referral, *, question: str, checklist=None):
    """Send the referral back with a question; the allocation clock stops until the answer."""
    locked(referral)
    _require_screener(actor, referral)
    if not question.strip():
        raise DomainError("Enter what information the school needs to give", field="question")
    _move(referral, Status.MORE_INFORMATION)
    referral.question = question.strip()
    referral.answer = ""
    referral.checklist = checklist or referral.checklist
    referral.save()
    deadline = live_deadline(referral, KindCode.ALLOCATION)
    if deadline is not None:
        today = timezone.localdate()
        left = (
            SchoolCalendar(referral.school, provisional=True).school_days_between(
                today, deadline.due_date
            )
            if referral.school
            else (deadline.due_date - today).days
        )
        referral.checklist = {**referral.checklist, "_clock_days_left": max(left, 0)}
        referral.save(update_fields=["checklist"])
        deadline_services.cancel_deadlines_for(
            None, referral, reason="Clock stopped: more information requested"
        )
    _event(referral, actor, EventKind.MORE_INFORMATION, referral.question)
    _tell_school(referral, "more information needed", referral.question)
    return referral


@service_action
def answer_more_information(actor, referral: Referral, *, answer: str) -> Referral:
    """The school answers the gateway's question: the referral goes back to the gateway's
    queue and the allocation clock starts again with the school days it had left."""
    locked(referral)
    if not _school_staff_at(actor, referral.school):
        raise DomainError("Only staff of the referring school can answer.")
    if not answer.strip():
        raise DomainError("Enter the information asked for", field="answer")
    _move(referral, Status.SUBMITTED)
    referral.answer = answer.strip()
    days_left = referral.checklist.pop("_clock_days_left", None)
    referral.save()
    _event(referral, actor, EventKind.ANSWERED, referral.answer)
    _start_allocation_clock(referral, start=timezone.localdate(), school_days=days_left)
    return referral


@service_action
def accept_referral(actor, referral: Referral, *, service=None, checklist=None) -> Referral:
    """Accept and route to a service (by default the type's). Every item of the completeness
    checklist is ticked, or has the screener's reason for accepting without it."""
    locked(referral)
    _require_screener(actor, referral)
    service = service or referral.service
    if service.kind != OrganisationKind.SERVICE:
        raise DomainError("Choose a service to route the referral to.", field="service")
    _require_same_authority(referral, service)
    if service.code == BOSS_CODE and (
        referral.gateway is None or referral.gateway.code != PRT_CODE
    ):
        raise DomainError("Only the PRT can route a referral to BOSS.", field="service")
    if service.pk != referral.service_id:
        _check_open(referral.pupil, service, exclude=referral)
    checklist = checklist if checklist is not None else referral.checklist
    if referral.status == Status.SUBMITTED:
        _require_checklist(referral, checklist)
    _move(referral, Status.ACCEPTED)
    moved = service.pk != referral.service_id
    referral.service = service
    referral.checklist = checklist or referral.checklist
    referral.decided_at = timezone.now()
    referral.save()
    if moved:
        deadline = live_deadline(referral, KindCode.ALLOCATION)
        if deadline is not None:
            deadline.owner_organisation = service
            deadline.save(update_fields=["owner_organisation"])
    _event(referral, actor, EventKind.ACCEPTED, f"Routed to {service.name}")
    _tell_school(referral, "accepted", f"Accepted and routed to {service.name}.")
    return referral


def _require_checklist(referral: Referral, checklist: dict) -> None:
    """Seed 000: the PRT screens each referral for completeness. An item counts when it is
    ticked (``True``) or when the screener has written why the referral is accepted without
    it (a reason)."""
    for key, label in checklist_items(referral):
        value = checklist.get(key)
        if value is True or (isinstance(value, str) and value.strip()):
            continue
        raise DomainError(
            f"Tick “{label}”, or say why you accept the referral without it",
            field=f"why_{key}",
        )


@service_action
def decline_referral(actor, referral: Referral, *, reason: str, checklist=None) -> Referral:
    """The gateway's decision on a referral waiting for screening. One already accepted, or
    sent back with a question, is not declined by a second screener pressing at the same
    moment: a referral left waiting is closed at the quarterly review (:func:`close_at_review`)."""
    locked(referral)
    _require_screener(actor, referral)
    _require_screening(referral, Status.DECLINED)
    if not reason.strip():
        raise DomainError("Enter the reason the school will read", field="reason")
    _move(referral, Status.DECLINED)
    referral.decision_reason = reason.strip()
    referral.checklist = checklist or referral.checklist
    referral.decided_at = timezone.now()
    referral.save()
    deadline_services.cancel_deadlines_for(None, referral, reason="Referral declined")
    _event(referral, actor, EventKind.DECLINED, referral.decision_reason)
    _tell_school(referral, "declined", referral.decision_reason)
    return referral


@service_action
def redirect_referral(
    actor, referral: Referral, *, redirection: str, note: str, service=None, checklist=None
) -> Referral:
    """Seed 003: staff "should consider whether a PSP, Early help assessment or TAC Meeting is
    the best way forward": the gateway can point the school to one of those, or to another
    service, instead."""
    locked(referral)
    _require_screener(actor, referral)
    if redirection not in Redirection.values:
        raise DomainError("Select where to redirect the referral", field="redirection")
    if redirection == Redirection.ANOTHER_SERVICE and service is None:
        raise DomainError("Choose the service to refer to instead", field="service")
    if service is not None:
        _require_same_authority(referral, service)
    _move(referral, Status.REDIRECTED)
    referral.redirection = redirection
    referral.redirected_to = service if redirection == Redirection.ANOTHER_SERVICE else None
    referral.decision_reason = note.strip()
    referral.checklist = checklist or referral.checklist
    referral.decided_at = timezone.now()
    referral.save()
    deadline_services.cancel_deadlines_for(None, referral, reason="Referral redirected")
    where = Redirection(redirection).label
    if referral.redirected_to:
        where = f"a referral to {referral.redirected_to.name}"
    _event(referral, actor, EventKind.REDIRECTED, f"Suggested {where}. {referral.decision_reason}")
    _tell_school(referral, "redirected", f"Suggested instead: {where}. {referral.decision_reason}")
    return referral

"""A referral after screening: withdrawn, allocated as a case, closed with its last case and
reopened with it, or closed at the quarterly review."""

from django.utils import timezone

from config.actions import locked, service_action
from config.errors import DomainError
from deadlines import services as deadline_services
from deadlines.codes import KindCode
from referrals.models import (
    EventKind,
    Referral,
    Status,
)
from referrals.services.common import _check_open, _event, _move, _school_staff_at, _tell_school
from referrals.services.screening import _require_screener


@service_action
def withdraw_referral(actor, referral: Referral, *, reason: str = "") -> Referral:
    locked(referral)
    if not _school_staff_at(actor, referral.school):
        raise DomainError("Only staff of the referring school can withdraw its referral.")
    _move(referral, Status.WITHDRAWN)
    referral.decision_reason = reason.strip()
    referral.save()
    deadline_services.cancel_deadlines_for(None, referral, reason="Referral withdrawn")
    _event(referral, actor, EventKind.WITHDRAWN, referral.decision_reason)
    return referral


@service_action
def mark_allocated(actor, referral: Referral) -> Referral:
    """Called when a case opens from the referral: the allocation deadline is met."""
    locked(referral)
    _move(referral, Status.ALLOCATED)
    referral.save(update_fields=["status"])
    deadline_services.satisfy_deadlines_for(actor, referral, KindCode.ALLOCATION)
    _event(referral, actor, EventKind.ALLOCATED)
    return referral


@service_action
def close_referral(actor, referral: Referral, *, reason: str) -> Referral:
    """The referral's last case episode has closed: the referral is no longer open, so the
    school may refer the pupil to the service again (the reintegration referral too)."""
    locked(referral)
    _move(referral, Status.CLOSED)
    referral.save(update_fields=["status"])
    deadline_services.cancel_deadlines_for(None, referral, reason="Referral closed")
    _event(referral, actor, EventKind.CLOSED, reason)
    return referral


@service_action
def reopen_referral(actor, referral: Referral) -> Referral:
    """A closed case is reopened: its referral is open (allocated) again, unless the pupil
    has been referred to the service again meanwhile."""
    locked(referral)
    _check_open(referral.pupil, referral.service, exclude=referral)
    _move(referral, Status.ALLOCATED)
    referral.save(update_fields=["status"])
    _event(referral, actor, EventKind.REOPENED)
    return referral


@service_action
def close_at_review(actor, referral: Referral, *, reason: str) -> Referral:
    """Seed 004: a referral still open at the quarterly review is "closed where possible"."""
    locked(referral)
    _require_screener(actor, referral)
    _move(referral, Status.DECLINED)
    referral.decision_reason = f"Closed at the quarterly review. {reason}".strip()
    referral.decided_at = timezone.now()
    referral.save()
    deadline_services.cancel_deadlines_for(None, referral, reason="Closed at quarterly review")
    _event(referral, actor, EventKind.DECLINED, referral.decision_reason)
    _tell_school(referral, "closed at review", referral.decision_reason)
    return referral

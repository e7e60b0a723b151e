"""What every referral change shares: its transitions, its history, the rules on open referrals
and the allocation clock."""

import datetime

from django.db import connection
from django.urls import reverse

from accounts.models import Organisation, Role
from accounts.policy import active_memberships
from accounts.selectors import virtual_school_officers
from config.errors import DomainError, require_transition
from deadlines import services as deadline_services
from deadlines.codes import Counting, KindCode
from pupils.models import CareStatus, Pupil
from referrals.models import (
    BOSS_CODE,
    DONE,
    EDITABLE_STATUSES,
    PRT_CODE,
    STANDS,
    TRANSITIONS,
    Referral,
    ReferralActivity,
    ReferralType,
    Status,
)

ANSWER_FIELDS = {
    "reason", "concerns", "strengths", "pupil_views", "parent_views", "previous_step_started",
    "interventions_tried", "crisis", "crisis_reason", "exclusion_history",
    "virtual_school_consulted_on", "virtual_school_consulted_with", "consent_given_by",
    "consent_given_on", "consent_method", "referrer_name", "referrer_role", "referrer_phone",
    "referrer_email",
}  # fmt: skip


class OpenReferralExists(DomainError):
    """Seed 004 keeps one file per referral; the service rule is one open referral per pupil
    per service. ``existing`` is the open one, for a link."""

    def __init__(self, existing: Referral):
        super().__init__(
            f"{existing.pupil} already has an open referral to {existing.service.name} "
            f"({existing.label}, {existing.get_status_display().lower()}).",
            code="open_referral_exists",
            conflict=True,
        )
        self.existing = existing


def _move(referral: Referral, status: str) -> None:
    """Move a referral (locked by its service) along its workflow, or say in words why not."""
    require_transition(
        TRANSITIONS, Status(referral.status), Status(status), what="referral", stands=STANDS,
        done=DONE,
    )  # fmt: skip
    referral.status = status
    happened = "question_asked" if status == Status.MORE_INFORMATION else "status_changed"
    deadline_services.announce(happened, referral, school=referral.school, status=status)


def _require_same_authority(referral: Referral, service) -> None:
    if service.local_authority_id != referral.service.local_authority_id:
        raise DomainError("Choose one of your authority's services.", field="service")


def _require_screening(referral: Referral, decision: str) -> None:
    """A screening decision is taken on a referral sent to the gateway and not yet decided:
    two screeners deciding at once get one decision and one message."""
    if referral.status != Status.SUBMITTED:
        only_submitted = {Status(referral.status): set()}
        require_transition(
            only_submitted, Status(referral.status), Status(decision), what="referral",
            stands=STANDS, done=DONE,
        )  # fmt: skip


def _require_editable(referral: Referral, message: str) -> None:
    if referral.status not in EDITABLE_STATUSES:
        raise DomainError(message)


def _event(referral: Referral, actor, kind: str, note: str = "") -> ReferralActivity:
    return ReferralActivity.objects.create(
        referral=referral, kind=kind, actor=actor if getattr(actor, "pk", None) else None, note=note
    )


def _check_open(pupil: Pupil, service: Organisation, exclude: Referral | None = None) -> None:
    others = Referral.objects.open().filter(pupil=pupil, service=service)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    existing = others.select_related("service", "pupil").first()
    if existing:
        raise OpenReferralExists(existing)


def _check_boss_through_prt(referral_type: ReferralType, gateway) -> None:
    """Seed 000: "All referrals for BOSS support must be made to PRT, not directly to BOSS.\""""
    if referral_type.service.code == BOSS_CODE and (gateway is None or gateway.code != PRT_CODE):
        raise DomainError(
            "A BOSS referral must be sent to the PRT (Pupil Referral Team), not straight to BOSS."
        )


def _school_staff_at(actor, school) -> bool:
    return any(
        m.role == Role.SCHOOL_STAFF and m.organisation_id == school.organisation_id
        for m in active_memberships(actor)
    )


def _empty(field: str):
    return None if Referral._meta.get_field(field).null else ""


def _next_reference(year: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('referrals_reference_seq')")
        (number,) = cursor.fetchone()
    return f"REF-{year}-{number:06d}"


def _start_allocation_clock(referral: Referral, *, start: datetime.date, school_days=None):
    deadline_services.create_deadline(
        None, **allocation_clock(referral, start=start, school_days=school_days)
    )


def allocation_clock(referral: Referral, *, start: datetime.date, school_days=None) -> dict:
    """Seed 001: BASS interventions are "allocated within 2 weeks"; each type sets its target.
    A clock stopped for more information starts again with the school days it had left."""
    weeks = referral.referral_type.allocation_target_weeks
    return {
        "kind": KindCode.ALLOCATION,
        "subject": referral,
        "pupil": referral.pupil,
        "school": referral.school,
        "start_date": start,
        "title": f"Allocate {referral.reference} ({referral.referral_type.name})",
        "owner_organisation": referral.service,
        "owner_role": Role.SERVICE_MANAGER,
        "length": school_days if school_days is not None else weeks,
        "counting": Counting.SCHOOL_DAYS if school_days is not None else Counting.SCHOOL_WEEKS,
    }


def _tell_virtual_school(referral: Referral) -> None:
    """Seed 002: the virtual school is told of every referral of a CLA or PLA pupil."""
    if referral.pupil.care_status not in CareStatus.virtual_school_cohort():
        return
    school_authority = (
        referral.school.organisation.local_authority_id
        if referral.school
        else referral.service.local_authority_id
    )
    officers = virtual_school_officers(referral.pupil.looked_after_by_id or school_authority)
    what = "a referral" if referral.sensitive else f"a {referral.referral_type.name} referral"
    deadline_services.notify_people(
        None,
        officers,
        subject=f"Referral of a {referral.pupil.get_care_status_display()} pupil: {referral.pupil}",
        body=f"{referral.school} has made {what} ({referral.reference}) for {referral.pupil}.",
        url="" if referral.sensitive else reverse("referrals:detail", args=[referral.pk]),
    )


def _tell_school(referral: Referral, subject: str, body: str) -> None:
    if referral.created_by:
        deadline_services.notify_people(
            None,
            [referral.created_by],
            subject=f"{referral.reference}: {subject}",
            body=body,
            url=reverse("referrals:detail", args=[referral.pk]),
        )

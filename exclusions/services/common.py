"""Shared helpers of the exclusion services: events, transitions, who may act, counting."""

import datetime

from accounts.models import Membership, Role
from accounts.policy import active_memberships
from config.errors import DomainError, require_transition
from deadlines import services as deadline_services
from exclusions.models import (
    DONE,
    STANDS,
    TRANSITIONS,
    Exclusion,
    ExclusionActivity,
    Kind,
    Status,
)


def _event(exclusion, actor, kind, note="") -> None:
    ExclusionActivity.objects.create(
        exclusion=exclusion, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )  # fmt: skip


def _move(exclusion: Exclusion, status: str) -> None:
    require_transition(
        TRANSITIONS, Status(exclusion.status), Status(status), what="exclusion", stands=STANDS,
        done=DONE,
    )  # fmt: skip
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

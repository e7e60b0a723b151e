"""Shared helpers of the exclusion services: events, transitions, who may act, counting."""

import datetime

from accounts.models import Membership, Role
from accounts.policy import active_memberships
from config.errors import DomainError, require_transition
from deadlines import services as deadline_services
from exclusions import rules
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
    deadline_services.announce("status_changed", exclusion, school=exclusion.school, status=status)


def _require_school(actor, school) -> None:
    """The school's staff record a suspension or exclusion; so may the authority's exclusions
    officer, for a school that phones one in."""
    if not any(
        (m.role == Role.SCHOOL_STAFF and m.organisation_id == school.organisation_id)
        or (
            m.role == Role.EXCLUSIONS_OFFICER
            and m.organisation_id == school.organisation.local_authority_id
        )
        for m in active_memberships(actor)
    ):
        raise DomainError(f"Only staff of {school} can do this.")


def _is_la_officer(actor, school) -> bool:
    return any(
        m.role == Role.EXCLUSIONS_OFFICER
        and m.organisation_id == school.organisation.local_authority_id
        for m in active_memberships(actor)
    )


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


def _deadline(exclusion, kind, *, start, title, owner="school", length=None, due_by=None):
    """One statutory step, counted in school days on the school's own calendar (provisionally,
    on the typical calendar, past the term dates entered)."""
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
        due_by=due_by,
        **owner_fields,
    )


def standing_suspensions(pupil, school, *, around: datetime.date | None = None):
    """The pupil's suspensions at the school that stand (not withdrawn), oldest first; with
    ``around``, those starting within a school year either side of it."""
    suspensions = Exclusion.objects.counted().filter(
        pupil=pupil, school=school, kind=Kind.SUSPENSION
    )
    if around is not None:
        year = datetime.timedelta(days=400)
        suspensions = suspensions.filter(start_date__range=(around - year, around + year))
    return list(suspensions.order_by("start_date", "pk"))


def suspension_days(pupil, school, start: datetime.date, end: datetime.date, calendar):
    """Days of suspension that stand, falling between two dates (each day where it falls), and
    how many suspensions have days there."""
    suspensions = standing_suspensions(pupil, school, around=start)
    days = [d for s in suspensions for d in rules.days_of(s, calendar) if start <= d.day <= end]
    return sum(d.fraction for d in days), len({d.exclusion_id for d in days})


def term_totals(exclusion: Exclusion, calendar) -> list[float]:
    """For each term the suspension's days fall in, the days of suspension in that term."""
    suspensions = standing_suspensions(exclusion.pupil, exclusion.school,
                                       around=exclusion.start_date)  # fmt: skip
    if exclusion.pk is None or exclusion not in suspensions:
        suspensions.append(exclusion)
    return [
        rules.days_in_span(suspensions, calendar, first, last)
        for first, last in rules.terms_touched(exclusion, calendar)
    ]


def board_must_meet(exclusion: Exclusion, rules_row, calendar) -> bool:
    """The board must consider reinstatement: a permanent exclusion; more than 15 school days
    of suspension in any one term, each day counted in the term it falls in; or a missed public
    examination or national test (the 2012 Regulations, regulations 6(1) and 24(1))."""
    if exclusion.kind == Kind.PERMANENT or exclusion.misses_public_exam:
        return True
    return any(total > rules_row.board_must_meet_over_days
               for total in term_totals(exclusion, calendar))  # fmt: skip


def term_days(exclusion: Exclusion, calendar) -> float:
    """The most days of suspension in any one term the suspension falls in."""
    return max(term_totals(exclusion, calendar), default=0)

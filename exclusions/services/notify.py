"""Notifying a suspension or exclusion: the rules, the statutory steps, the flags."""

import datetime

from django.utils import timezone

from accounts.models import Membership, Role
from accounts.selectors import virtual_school_officers
from config.actions import service_action
from config.errors import DomainError
from deadlines import services as deadline_services
from deadlines.calendar import SchoolCalendar
from exclusions.models import (
    Exclusion,
    ExclusionActivityKind,
    ExclusionRules,
    Kind,
)
from exclusions.services.common import (
    _deadline,
    _event,
    _officers,
    _require_school,
    board_must_meet,
    suspension_days,
)
from pupils.models import CareStatus, SenStatus
from pupils.years import academic_year_of


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
        deadline_services.notify_people(
            None,
            virtual_school_officers(
                exclusion.pupil.looked_after_by_id
                or exclusion.school.organisation.local_authority_id
            ),
            subject=f"{exclusion.pupil.get_care_status_display()} pupil: {what}",
            body=f"From {exclusion.start_date:%-d %B %Y}.",
            url=exclusion.get_absolute_url(),
        )

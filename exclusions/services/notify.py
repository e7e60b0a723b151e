"""Notifying a suspension or exclusion: the rules, the statutory steps, the flags."""

import datetime

from django.utils import timezone

from accounts.models import Membership, Role
from accounts.selectors import virtual_school_officers
from config.actions import service_action
from config.errors import DomainError
from config.sync import require_new_external_id
from deadlines import services as deadline_services
from deadlines.calendar import SchoolCalendar
from deadlines.codes import KindCode
from exclusions import rules
from exclusions.models import (
    Exclusion,
    ExclusionActivityKind,
    ExclusionRules,
    Kind,
)
from exclusions.services.common import (
    _deadline,
    _event,
    _is_la_officer,
    _officers,
    _require_school,
    board_must_meet,
    standing_suspensions,
    suspension_days,
)
from pupils.models import CareStatus, SenStatus
from pupils.years import academic_year_label, academic_year_of


@service_action
def notify_exclusion(actor, *, pupil, school, kind: str, reasons, **fields) -> Exclusion:
    """The head notifies a suspension or permanent exclusion (the 2012 Regulations, regulations
    5 and 23: "without delay"); the steps that follow are scheduled from the school's calendar.
    It is never refused for want of term dates: past the dates entered, the steps are counted
    on the typical calendar and show as provisional. The authority's exclusions officer may
    record one that a school phones in."""
    _require_school(actor, school)
    require_new_external_id(
        Exclusion, school, fields.get("external_id", ""), what="this suspension or exclusion"
    )
    rules_row = ExclusionRules.current()
    if not pupil.enrolments.filter(school=school, end_date__isnull=True).exists():
        raise DomainError(f"{pupil} is not on roll at {school}.", field="pupil", code="not_on_roll")
    reasons = list(reasons)
    if not 1 <= len(reasons) <= 3:
        raise DomainError("Select one, two or three reasons", field="reasons")
    calendar = SchoolCalendar(school, provisional=True)
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
    if not fields.get("misses_public_exam"):
        fields["exam_date"] = None
    elif not fields.get("exam_date"):
        raise DomainError("Enter the date of the examination or test", field="exam_date")
    if pupil.care_status in CareStatus.with_social_worker() and not fields.get(
        "social_worker_told_on"
    ):
        raise DomainError(
            "Enter when the pupil's social worker was told: the head must tell them without "
            "delay (the 2012 Regulations, as amended in 2023)",
            field="social_worker_told_on",
        )
    fields.setdefault("board_told_on", timezone.localdate())
    if fields["board_told_on"] > timezone.localdate():
        raise DomainError(
            "The date the board and the authority were told must be today or in the past",
            field="board_told_on",
        )
    exclusion = Exclusion(
        pupil=pupil, school=school, kind=kind, created_by=actor,
        recorded_by_la=_is_la_officer(actor, school), **fields,
    )  # fmt: skip
    if kind == Kind.SUSPENSION:
        _check_yearly_cap(exclusion, rules_row, calendar)
    exclusion.full_clean(exclude=["reasons"])
    exclusion.save()
    exclusion.reasons.set(reasons)
    note = exclusion.description
    if exclusion.recorded_by_la:
        note = f"Recorded by the local authority's exclusions officer for {school}. {note}"
    _event(exclusion, actor, ExclusionActivityKind.NOTIFIED, note)
    _schedule_statutory_steps(exclusion, rules_row, calendar)
    _flags(actor, exclusion, rules_row, calendar)
    _tell_others(exclusion)
    return exclusion


def _check_yearly_cap(exclusion, rules_row, calendar) -> None:
    """No more than 45 school days of suspension in a school year (the guidance: "one or more
    fixed periods up to a maximum of 45 school days in a single academic year"), each day
    counted in the year it falls in."""
    for year in sorted({academic_year_of(d.day) for d in rules.days_of(exclusion, calendar)}):
        first, last = datetime.date(year, 8, 1), datetime.date(year + 1, 7, 31)
        so_far, _ = suspension_days(exclusion.pupil, exclusion.school, first, last, calendar)
        this = rules.days_in_span([exclusion], calendar, first, last)
        if so_far + this > rules_row.max_suspension_days_per_year:
            raise DomainError(
                f"{exclusion.pupil} has {so_far:g} school days of suspension in "
                f"{academic_year_label(year)}: this one would pass the maximum of "
                f"{rules_row.max_suspension_days_per_year} school days in a school year "
                "(DfE suspension and permanent exclusion guidance)",
                field="sessions",
            )


def _schedule_statutory_steps(exclusion, rules_row, calendar) -> None:
    where = rules.regulation(exclusion.school, maintained="6", academy="24")
    if board_must_meet(exclusion, rules_row, calendar):
        due_by = None
        if exclusion.misses_public_exam and exclusion.exam_date:
            before = calendar.add_school_days(exclusion.exam_date, -1)
            due_by = (before, f"the school day before the examination on "
                              f"{exclusion.exam_date:%-d %B %Y}, so far as is reasonably "
                              f"practicable ({where})")  # fmt: skip
        _deadline(
            exclusion, KindCode.BOARD_CONSIDER, start=exclusion.board_received_on,
            title="Governing board considers reinstatement", length=rules_row.board_meets_within,
            due_by=due_by,
        )  # fmt: skip
    _schedule_sixth_day(exclusion, calendar)


def _schedule_sixth_day(exclusion, calendar) -> None:
    """Full-time education from the sixth consecutive school day of exclusion, counting back-to-
    back suspensions together (the 2007 Regulations, as amended in 2014): the school arranges it
    for a suspension, the authority for a permanent exclusion. Only the exclusion whose days
    include the sixth day of the run opens the step; one whose run reached six days before it
    continues provision already owed."""
    if exclusion.kind == Kind.PERMANENT:
        start = calendar.add_school_days(exclusion.start_date, 0)
        _deadline(
            exclusion, KindCode.SIXTH_DAY, start=start, owner="la",
            title="Full-time education from the sixth day", length=5,
        )  # fmt: skip
        return
    others = standing_suspensions(exclusion.pupil, exclusion.school, around=exclusion.start_date)
    run = rules.consecutive_run(exclusion, others, calendar)
    sixth = rules.sixth_day(run)
    if sixth is None or sixth.exclusion_id != exclusion.pk:
        return
    back_to_back = run[0].exclusion_id != exclusion.pk
    _deadline(
        exclusion, KindCode.SIXTH_DAY, start=run[0].day,
        title="Full-time education from the sixth day"
        + (" of back-to-back suspensions" if back_to_back else ""),
        length=5,
    )  # fmt: skip


def _flags(actor, exclusion, rules, calendar) -> None:
    """Seed 002: repeated exclusions mean the support in place is not working; a looked-after
    pupil's exclusion must follow contact with the virtual school head; an EHCP may need an
    emergency annual review."""
    flags = []
    if exclusion.kind == Kind.SUSPENSION:
        _, term_start, term_end = calendar.whole_term_of(exclusion.start_date)
        _, in_term = suspension_days(
            exclusion.pupil, exclusion.school, term_start, term_end, calendar
        )
        year = academic_year_of(exclusion.start_date)
        _, in_year = suspension_days(
            exclusion.pupil, exclusion.school, datetime.date(year, 8, 1),
            datetime.date(year + 1, 7, 31), calendar,
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
            exclusion, KindCode.ACTION, start=exclusion.board_received_on,
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

"""The statutory steps after notification: board, review, panel, provision, roll."""

import datetime

from config.actions import locked, service_action
from config.errors import DomainError
from deadlines import services as deadline_services
from deadlines.calendar import SchoolCalendar
from deadlines.codes import KindCode
from deadlines.selectors import live_deadline
from exclusions import rules
from exclusions.models import (
    Exclusion,
    ExclusionActivityKind,
    ExclusionRules,
    Kind,
    PanelDecision,
    Status,
)
from exclusions.rules import NoticeSent
from exclusions.services.common import (
    _deadline,
    _event,
    _move,
    _require,
    _require_school,
    board_must_meet,
    term_days,
)


@service_action
def withdraw_exclusion(actor, exclusion: Exclusion, *, reason: str) -> Exclusion:
    """The head may withdraw a suspension or exclusion the board has not yet considered."""
    locked(exclusion)
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
    """Over 5 and up to 15 school days in a term, when the parents make representations: the
    board must consider reinstatement within 50 school days of **receiving notice of the
    suspension**, not of the parents' request (the 2012 Regulations, regulation 6(3)(b) for
    maintained schools, 24(3)(b) for academies). 5 days or fewer: it considers their
    representations but need not meet and cannot reinstate."""
    locked(exclusion)
    _require(actor, exclusion, "school", "la")
    rules_row = ExclusionRules.current()
    calendar = SchoolCalendar(exclusion.school, provisional=True)
    if exclusion.parents_asked_board_on:
        raise DomainError(
            f"The parents' request of {exclusion.parents_asked_board_on:%-d %B %Y} is already "
            "recorded."
        )
    if asked_on < exclusion.board_told_on - datetime.timedelta(days=1):
        raise DomainError(
            f"The parents cannot have asked before the suspension was notified on "
            f"{exclusion.board_told_on:%-d %B %Y}",
            field="asked_on",
        )
    if board_must_meet(exclusion, rules_row, calendar):
        raise DomainError("The board must meet anyway: its meeting is already scheduled.")
    exclusion.parents_asked_board_on = asked_on
    exclusion.save(update_fields=["parents_asked_board_on"])
    days = term_days(exclusion, calendar)
    if days > rules_row.parents_ask_threshold_days:
        _deadline(
            exclusion, KindCode.BOARD_CONSIDER_REQUESTED, start=exclusion.board_received_on,
            title="Governing board considers the parents' representations",
            length=rules_row.parents_ask_meets_within,
        )  # fmt: skip
        note = (
            f"{days:g} days this term: the board decides within "
            f"{rules_row.parents_ask_meets_within} school days of receiving notice of the "
            f"suspension ({rules.regulation(exclusion.school, maintained='6', academy='24')})"
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
    actor, exclusion: Exclusion, *, reinstate: bool, decided_on, parents_told_on,
    parents_told_how: str = NoticeSent.EMAIL, note="",
) -> Exclusion:  # fmt: skip
    """The board's decision. For an upheld permanent exclusion the parents may apply for an
    independent review within 15 school days of the day the notice of the decision is given
    (the 2012 Regulations, Schedule 1, paragraph 2), a notice posted first class being given on
    the second working day after posting."""
    locked(exclusion)
    _require(actor, exclusion, "school")
    rules_row = ExclusionRules.current()
    calendar = SchoolCalendar(exclusion.school, provisional=True)
    short = term_days(exclusion, calendar) <= rules_row.parents_ask_threshold_days
    if reinstate and exclusion.kind == Kind.SUSPENSION and short:
        raise DomainError(
            f"With {rules_row.parents_ask_threshold_days} days or fewer in a term the board "
            "cannot reinstate",
            field="reinstate",
        )
    if parents_told_on < decided_on:
        raise DomainError(
            "The parents cannot have been told before the board decided", field="parents_told_on"
        )
    _move(exclusion, Status.REINSTATED if reinstate else Status.UPHELD)
    exclusion.board_decided_on = decided_on
    exclusion.parents_told_of_decision_on = parents_told_on
    exclusion.parents_told_of_decision_how = parents_told_how
    exclusion.board_decision_note = note
    exclusion.save()
    for kind in (KindCode.BOARD_CONSIDER, KindCode.BOARD_CONSIDER_REQUESTED):
        deadline_services.satisfy_deadlines_for(actor, exclusion, kind)
    if reinstate:
        deadline_services.cancel_deadlines_for(None, exclusion, reason="Reinstated")
    elif exclusion.kind == Kind.PERMANENT:
        _deadline(
            exclusion, KindCode.REVIEW_APPLICATION,
            start=rules.notice_received_on(parents_told_on, parents_told_how),
            title="Parents may apply for an independent review", owner="la",
            length=rules_row.review_application_within,
        )  # fmt: skip
    _event(
        exclusion, actor, ExclusionActivityKind.BOARD,
        f"{'Reinstated' if reinstate else 'Upheld'} on {decided_on:%-d %B %Y}. {note}".strip(),
    )  # fmt: skip
    return exclusion


@service_action
def apply_for_review(actor, exclusion: Exclusion, *, applied_on, sen_expert: bool) -> Exclusion:
    locked(exclusion)
    _require(actor, exclusion, "school", "la")
    rules_row = ExclusionRules.current()
    window = live_deadline(exclusion, KindCode.REVIEW_APPLICATION)
    if window is None or applied_on > window.due_date:
        raise DomainError(
            "The time to apply for an independent review has passed", field="applied_on"
        )
    _move(exclusion, Status.UNDER_REVIEW)
    exclusion.review_applied_on = applied_on
    exclusion.sen_expert_requested = sen_expert
    exclusion.save()
    deadline_services.satisfy_deadlines_for(actor, exclusion, KindCode.REVIEW_APPLICATION)
    _deadline(
        exclusion, KindCode.PANEL_MEETING, start=applied_on, title="Independent review panel meets",
        owner="la", length=rules_row.panel_meets_within,
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
    locked(exclusion)
    _require(actor, exclusion, "school", "la")
    rules_row = ExclusionRules.current()
    if decision not in PanelDecision.values:
        raise DomainError("Select the panel's decision", field="decision")
    _move(exclusion, Status.CONCLUDED if decision == PanelDecision.UPHOLD else Status.RECONSIDER)
    exclusion.panel_decision = decision
    exclusion.panel_decided_on = decided_on
    exclusion.board_told_of_panel_on = board_told_on
    exclusion.save()
    deadline_services.satisfy_deadlines_for(actor, exclusion, KindCode.PANEL_MEETING)
    if decision != PanelDecision.UPHOLD:
        _deadline(
            exclusion, KindCode.BOARD_RECONSIDER, start=board_told_on,
            title="Governing board reconsiders",
            length=rules_row.board_reconsiders_within,
        )  # fmt: skip
    _event(exclusion, actor, ExclusionActivityKind.PANEL, PanelDecision(decision).label)
    return exclusion


@service_action
def record_reconsideration(actor, exclusion: Exclusion, *, reinstate: bool, on) -> Exclusion:
    locked(exclusion)
    _require(actor, exclusion, "school")
    _move(exclusion, Status.REINSTATED if reinstate else Status.CONCLUDED)
    exclusion.save(update_fields=["status"])
    deadline_services.satisfy_deadlines_for(actor, exclusion, KindCode.BOARD_RECONSIDER)
    _event(
        exclusion, actor, ExclusionActivityKind.RECONSIDERED,
        f"{'Reinstated' if reinstate else 'Exclusion stands'} on {on:%-d %B %Y}",
    )  # fmt: skip
    return exclusion


@service_action
def record_sixth_day_provision(actor, exclusion: Exclusion, *, provision: str) -> Exclusion:
    """The school arranges it for a suspension, the authority for a permanent exclusion."""
    locked(exclusion)
    _require(actor, exclusion, "school" if exclusion.kind == Kind.SUSPENSION else "la")
    if not provision.strip():
        raise DomainError("Enter the provision arranged", field="provision")
    exclusion.sixth_day_provision = provision.strip()
    exclusion.save(update_fields=["sixth_day_provision"])
    deadline_services.satisfy_deadlines_for(actor, exclusion, KindCode.SIXTH_DAY)
    _event(exclusion, actor, ExclusionActivityKind.PROVISION, exclusion.sixth_day_provision)
    return exclusion


@service_action
def record_work_set(actor, exclusion: Exclusion, *, work_set: str) -> Exclusion:
    """The school records the work it set for the first five school days and how it will be
    marked (the DfE's guidance: schools should take reasonable steps to set and mark work);
    the letter to the parents says it."""
    locked(exclusion)
    _require(actor, exclusion, "school")
    if not work_set.strip():
        raise DomainError("Enter the work set and how it will be marked", field="work_set")
    exclusion.work_set = work_set.strip()
    exclusion.save(update_fields=["work_set"])
    return exclusion


@service_action
def remove_from_roll(actor, exclusion: Exclusion, *, on: datetime.date) -> Exclusion:
    """The pupil comes off roll only once the time to apply for a review has passed or the
    review is over."""
    from pupils import services as pupil_services

    locked(exclusion)
    _require(actor, exclusion, "school")
    if exclusion.kind != Kind.PERMANENT:
        raise DomainError("Only a permanent exclusion takes a pupil off roll.")
    window = live_deadline(exclusion, KindCode.REVIEW_APPLICATION)
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

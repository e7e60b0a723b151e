"""Putting back deadlines that live records should have and do not: a deadline cancelled or met
in error (by a fault since mended, or by hand in the database) is recreated, each with its
reason in the history, so that nobody's reminders stay silent."""

import logging
from dataclasses import dataclass

import pghistory
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils import timezone

from config.actions import service_action
from deadlines import expectations
from deadlines.models import LIVE_STATUSES, Deadline, DeadlineStatus
from deadlines.services.deadlines import build_deadline, first_reminder_on

logger = logging.getLogger(__name__)

COPIED = [
    "kind", "subject_type", "subject_id", "pupil", "school", "title", "start_date", "length",
    "counting", "due_date", "due_time", "counting_note", "owner_user", "owner_organisation",
    "owner_role",
]  # fmt: skip


@dataclass(frozen=True)
class Repair:
    deadline: Deadline
    subject: object
    because: str

    def __str__(self):
        return (
            f"{self.deadline.title} (due {self.deadline.due_date:%-d %B %Y}) put back: "
            f"{self.because}"
        )


def reconcile_deadlines(*, dry_run: bool = False) -> list[Repair]:
    """Find every live record without the live deadline it is owed and recreate it: a copy of
    the one it lost (same due date, counted as before), or, for a clock it never had, one built
    from the record. With ``dry_run`` nothing is written and the repairs are only listed."""
    repairs, seen = [], set()
    for clock in expectations.clocks():
        for subject, lost in _clocks_missing(clock):
            repairs.append(_put_back(None, subject, lost, clock.owed_because, clock, dry_run))
            seen.add(getattr(lost, "pk", None))
    for kept in expectations.kept():
        for subject, lost in _kept_cancelled(kept):
            if lost.pk not in seen:  # a dry run has not written the clock's copy
                repairs.append(_put_back(None, subject, lost, kept.owed_because, None, dry_run))
    for repair in repairs:
        logger.warning("reconcile_deadlines: %s", repair)
    return repairs


def _of(model, **filters):
    return Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(model), **filters)


def _clocks_missing(clock):
    """Records owed a live ``clock.kind`` deadline with none: one anti-join, read through the
    ``deadline_subject`` index, so the cost follows the records owed, not the table."""
    subjects = clock.subjects()
    of_kind = _of(subjects.model, subject_id=OuterRef("pk"), kind__code=clock.kind)
    missing = subjects.exclude(Exists(of_kind.filter(status__in=LIVE_STATUSES)))
    if clock.build is None:
        missing = missing.filter(Exists(of_kind))
    for subject in missing.order_by("pk").iterator(chunk_size=500):
        lost = (
            _of(subjects.model, subject_id=subject.pk, kind__code=clock.kind)
            .order_by("-created_at", "-pk")
            .first()
        )
        if lost is not None and (lost.status == DeadlineStatus.WAIVED or _put_back_already(lost)):
            continue  # a person decided it no longer applies, or it is back already
        yield subject, lost


def _kept_cancelled(kept):
    subjects = kept.subjects()
    cancelled = (
        _of(subjects.model, status=DeadlineStatus.CANCELLED, recreated_as__isnull=True)
        .filter(subject_id__in=subjects.values("pk"))
        .select_related("kind")
        .order_by("pk")
    )
    by_pk = {}
    for lost in cancelled.iterator(chunk_size=500):
        if lost.subject_id not in by_pk:
            by_pk[lost.subject_id] = subjects.model._base_manager.get(pk=lost.subject_id)
        yield by_pk[lost.subject_id], lost


def _put_back_already(lost: Deadline) -> bool:
    return Deadline.objects.filter(recreated_from=lost).exists()


@service_action
def _put_back(actor, subject, lost, because: str, clock, dry_run: bool) -> Repair:
    why = f"Recreated by reconcile_deadlines on {timezone.localdate():%-d %B %Y}: {because}"
    if lost is not None:
        why += f", but its deadline was {lost.get_status_display().lower()}"
        if lost.reason:
            why += f" (\u201c{lost.reason}\u201d)"
    why += "."
    pghistory.context(reconciled=why)
    if lost is None:
        deadline = build_deadline(**clock.build(subject))
    else:
        deadline = Deadline(**{field: getattr(lost, field) for field in COPIED})
        deadline.recreated_from = lost
        deadline.next_reminder_on = first_reminder_on(deadline, today=timezone.localdate())
    deadline.reason = why
    if not dry_run:
        deadline.save()
    return Repair(deadline, subject, because)

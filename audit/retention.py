"""Retention: records past their rule are anonymised, never silently deleted. A dry run
reports what a real run would change; every change is written to the history with the action
``apply_retention``."""

import datetime

import pghistory
from django.utils import timezone

from audit import personal_data
from audit.models import RetentionRule, RetentionRun
from audit.personal_data import ANONYMISED
from config.actions import service_action


def due_for_anonymisation(today: datetime.date):
    """Pupils a retention rule has reached, as the app keeping those records says (closed
    cases past the kept-until age), not yet anonymised."""
    rule = RetentionRule.objects.filter(record_kind="case", is_active=True).first()
    if rule is None:
        return []
    due = personal_data.due_for_retention("case", today, rule)
    return due.exclude(legal_first_name=ANONYMISED)


def _anonymise(pupil, *, why: str) -> None:
    """Everything each app registered about the pupil, in its records and their history
    (audit.personal_data); the calling service's history context says who and why."""
    pghistory.context(anonymised_because=why)
    personal_data.anonymise(pupil)


@service_action
def apply_retention(actor, *, dry_run: bool, today: datetime.date | None = None) -> RetentionRun:
    today = today or timezone.localdate()
    pupils = list(due_for_anonymisation(today))
    if not dry_run:
        for pupil in pupils:
            _anonymise(pupil, why="retention")
    return RetentionRun.objects.create(dry_run=dry_run, pupils=[p.pk for p in pupils])


@service_action
def erase_pupil(actor, pupil, *, reason: str) -> None:
    """Erasure, where the law allows it, is anonymisation with the reason kept: the history
    keeps who did it and why (UK GDPR art. 17, with the retention duties that limit it)."""
    from config.errors import DomainError

    if not reason.strip():
        raise DomainError("Enter why the pupil's details are being erased", field="reason")
    with pghistory.context(erasure_reason=reason.strip()):
        _anonymise(pupil, why="erasure")

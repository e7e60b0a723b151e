"""What the operations page reports beyond the outbox. The deadlines app cannot import the apps
above it, so each adds its own checks here (from its ``AppConfig.ready``): a check takes the
authorities an LA administrator runs and the day, and returns a ``Finding`` or ``None``."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    title: str
    count: int
    what_to_do: str


Check = Callable[[list[int], datetime.date], Finding | None]
_checks: list[Check] = []


def register(check: Check) -> Check:
    if check not in _checks:
        _checks.append(check)
    return check


def findings(authority_ids: list[int], today: datetime.date) -> list[Finding]:
    found = (check(authority_ids, today) for check in _checks)
    return [finding for finding in found if finding is not None and finding.count]

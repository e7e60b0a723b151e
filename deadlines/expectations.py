"""Which records should have which live deadlines: what ``reconcile_deadlines`` puts back.

The deadlines app cannot import the apps above it, so each of them says, from its
``AppConfig.ready``, what its live records are owed:

- ``expect_clock``: while a record is in a given state it has one live deadline of a kind (a
  submitted referral its allocation clock, an open case its maximum-involvement clock, an
  undecided review its due date). ``build`` gives :func:`create_deadline`'s fields for a record
  that never had one; without it, only a deadline the record had and lost is put back.
- ``expect_kept``: nothing but a record's own end cancels its deadlines (a case's actions, an
  exclusion's statutory steps), so a cancelled deadline of a live record was cancelled in error.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class Clock:
    kind: str
    subjects: Callable[[], QuerySet]
    owed_because: str
    build: Callable[[object], dict] | None = None


@dataclass(frozen=True)
class Kept:
    subjects: Callable[[], QuerySet]
    owed_because: str


_clocks: list[Clock] = []
_kept: list[Kept] = []


def expect_clock(kind: str, subjects, *, because: str, build=None) -> None:
    """``subjects()``: the records that should have a live ``kind`` deadline now; ``because``:
    why, in words, for the history ("the referral is waiting to be allocated")."""
    if not any((c.kind, c.owed_because) == (kind, because) for c in _clocks):
        _clocks.append(Clock(kind, subjects, because, build))


def expect_kept(subjects, *, because: str) -> None:
    if not any(k.owed_because == because for k in _kept):
        _kept.append(Kept(subjects, because))


def clocks() -> list[Clock]:
    return list(_clocks)


def kept() -> list[Kept]:
    return list(_kept)

"""Who hears of a change to a pupil's record. The pupils app sits below the apps that work
with pupils, so each of them registers here what it does when a change happens (from its
``AppConfig.ready``): the casework app tells the pupil's caseworkers and the virtual school.
Listeners run inside the service's transaction, so a change and its messages stand or fall
together."""

import datetime
from collections.abc import Callable

CareListener = Callable[..., None]
_care_listeners: list[CareListener] = []


def on_care_status_changed(listener: CareListener) -> CareListener:
    if listener not in _care_listeners:
        _care_listeners.append(listener)
    return listener


def care_status_changed(
    actor, pupil, status: str, start_date: datetime.date, *, from_import: bool = False
) -> None:
    """``from_import``: the change came from a file the virtual school or the authority
    loaded, whose report lists every change (the virtual school is not told child by child)."""
    for listener in _care_listeners:
        listener(actor, pupil, status, start_date, from_import=from_import)

"""Every service function runs in one transaction with the acting user recorded on every history
row it writes (Zulip's habit: the audit row is written in the same transaction as the change)."""

import functools

import pghistory
from django.db import transaction


def service_action(func):
    """Decorate a service function ``func(actor, ...)``: one transaction, and pghistory context
    naming the actor and the action so each change in the history says who and why."""

    @functools.wraps(func)
    def wrapper(actor, *args, **kwargs):
        with (
            transaction.atomic(),
            pghistory.context(user=getattr(actor, "pk", None), action=func.__qualname__),
        ):
            return func(actor, *args, **kwargs)

    return wrapper

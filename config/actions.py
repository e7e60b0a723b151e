"""Every service function runs in one transaction with the acting user recorded on every history
row it writes (Zulip's habit: the audit row is written in the same transaction as the change)."""

import contextlib
import contextvars
import functools

import pghistory
from django.db import IntegrityError, transaction
from pghistory import runtime

from config.errors import DomainError

# The service a call is already inside, if any: a service called by another service writes
# under the outer one's actor and action.
_outer_action: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "outer_service_action", default=None
)


@contextlib.contextmanager
def _history_context(**metadata):
    """A history context of the service's own. pghistory joins a nested context to the one
    already open (the request's, opened by its middleware) and keeps only the last metadata
    written for all of it, so two services in one request would both be recorded as the
    second. The request's context is set aside while the service runs and put back after."""
    request_context = getattr(runtime._tracker, "value", None)
    if request_context is not None:
        del runtime._tracker.value
    try:
        with pghistory.context(**{**_request_metadata(request_context), **metadata}):
            yield
    finally:
        if request_context is not None:
            runtime._tracker.value = request_context


def _request_metadata(request_context) -> dict:
    if request_context is None:
        return {}
    return {k: v for k, v in request_context.metadata.items() if k == "url"}


def service_action(func):
    """Decorate a service function ``func(actor, ...)``: one transaction, and a history
    context naming the actor and the action, so each change in the history says who and why.
    When one service calls another, the outermost one's actor and action are recorded: the
    person who pressed the button, and what they pressed. A unique constraint that a race
    breaks (two people adding the same thing at once) is refused in words, as a rule is."""

    @functools.wraps(func)
    def wrapper(actor, *args, **kwargs):
        if _outer_action.get() is not None:
            with transaction.atomic():
                return func(actor, *args, **kwargs)
        token = _outer_action.set(func.__qualname__)
        try:
            with (
                _history_context(user=getattr(actor, "pk", None), action=func.__qualname__),
                transaction.atomic(),
            ):
                return func(actor, *args, **kwargs)
        except IntegrityError as error:
            raise _in_words(error) from error
        finally:
            _outer_action.reset(token)

    wrapper.is_service_action = True
    return wrapper


def _in_words(error: IntegrityError) -> Exception:
    """A unique or check constraint broken by a race, as the ``DomainError`` its model's
    ``violation_error_message`` words (a unique one is a conflict with what is recorded: the
    API's 409); any other integrity error as it was."""
    from django.apps import apps

    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    if not name:
        return error
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            worded = constraint.violation_error_message != (
                constraint.default_violation_error_message
            )
            if constraint.name == name and worded:
                from django.db.models import UniqueConstraint

                unique = isinstance(constraint, UniqueConstraint)
                return DomainError(
                    constraint.get_violation_error_message(),
                    code="duplicate" if unique else "rule",
                    conflict=unique,
                )
    return error


def locked(instance):
    """Re-read ``instance`` under a row lock held to the end of the service's transaction, so
    the status a service checks next is the one committed: when two people press the same
    button, the second waits for the first, then finds its change and is told so in words."""
    manager = type(instance)._base_manager
    instance.refresh_from_db(from_queryset=manager.select_for_update())
    return instance

"""The database backend: Django's PostgreSQL backend, with a cursor whose parameters are
bound by PostgreSQL, so that a statement run often on a connection is prepared and planned once
(``prepare_threshold`` in the settings).

django-pghistory puts the context of a change (who, on which page) before each statement it
sees while a request is tracked, as ``SELECT set_config(...); <statement>``. PostgreSQL will
not prepare or bind two statements sent as one, so this cursor sends the context first, then the
statement, on the same connection and in the same transaction: the same effect."""

from contextlib import nullcontext

from django.db.backends.postgresql import base
from django.db.backends.postgresql.base import ServerBindingCursor
from psycopg import ClientCursor
from psycopg.pq import TransactionStatus

CONTEXT = (
    "SELECT set_config('pghistory.context_id', {id}, true), "
    "set_config('pghistory.context_metadata', {metadata}, true); "
)
POSITIONAL = CONTEXT.format(id="%s", metadata="%s")
NAMED = CONTEXT.format(id="%(pghistory__context_id)s", metadata="%(pghistory__context_metadata)s")


def split_context(query, params):
    """``(context statement, its parameters, statement, its parameters)`` when ``query``
    begins with pghistory's context, else ``None``."""
    text = query.decode() if isinstance(query, bytes) else query
    if not isinstance(text, str):  # a composed statement: never one pghistory touched
        return None
    if text.startswith(POSITIONAL):
        params = list(params)
        return POSITIONAL[:-2], params[:2], text[len(POSITIONAL) :], params[2:]
    if text.startswith(NAMED):
        params = dict(params)
        context = {
            k: params.pop(k) for k in ("pghistory__context_id", "pghistory__context_metadata")
        }
        return NAMED[:-2], context, text[len(NAMED) :], params
    return None


class Cursor(ServerBindingCursor):
    def mogrify(self, query, params=None):
        """The statement with its parameters written in, as a client-side cursor gives it
        (django-pghistory builds its event queries with it)."""
        with ClientCursor(self.connection) as client:
            return client.mogrify(query, params)

    def execute(self, query, params=None, **kwargs):
        split = split_context(query, params) if params else None
        if split is None:
            return super().execute(query, params, **kwargs)
        context, context_params, statement, statement_params = split
        # The context is set for the transaction only (``set_config(..., true)``). In
        # autocommit, outside any transaction, the two are run in one of their own, as a single
        # string would have been; otherwise (in ``atomic``) they are already in the same one.
        idle = self.connection.info.transaction_status == TransactionStatus.IDLE
        own = (
            self.connection.transaction() if self.connection.autocommit and idle else nullcontext()
        )
        with own:
            super().execute(context, context_params)
            return super().execute(statement, statement_params or None, **kwargs)


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is ServerBindingCursor:
            params["cursor_factory"] = Cursor
        return params

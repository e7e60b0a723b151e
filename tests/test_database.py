"""The database cursor: parameters bound by PostgreSQL, with pghistory's context sent as a
statement of its own (``config.postgresql``)."""

import pghistory
import pghistory.models
import pytest
from django.db import connection, transaction

from config.postgresql.base import Cursor, split_context
from tests.pupils.factories import PupilFactory


@pytest.mark.django_db
def test_the_connection_binds_parameters_on_the_server():
    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, Cursor)
        assert cursor.mogrify("SELECT %s", ["it's"]) == "SELECT 'it''s'"


def test_pghistory_s_context_is_split_from_the_statement_it_was_put_before():
    positional = (
        "SELECT set_config('pghistory.context_id', %s, true), "
        "set_config('pghistory.context_metadata', %s, true); UPDATE t SET a = %s"
    )
    context, context_params, statement, params = split_context(positional, ("id", "{}", 7))
    assert context.endswith("true)") and ";" not in context
    assert (context_params, statement, params) == (["id", "{}"], "UPDATE t SET a = %s", [7])
    named = (
        "SELECT set_config('pghistory.context_id', %(pghistory__context_id)s, true), "
        "set_config('pghistory.context_metadata', %(pghistory__context_metadata)s, true); "
        "UPDATE t SET a = %(a)s"
    )
    split = split_context(
        named, {"a": 7, "pghistory__context_id": "id", "pghistory__context_metadata": "{}"}
    )
    assert split[1] == {"pghistory__context_id": "id", "pghistory__context_metadata": "{}"}
    assert split[2:] == ("UPDATE t SET a = %(a)s", {"a": 7})
    assert split_context("SELECT %s", (1,)) is None


@pytest.mark.django_db(transaction=True)
def test_a_change_outside_a_transaction_keeps_its_context():
    """Autocommit, as a page that saves without ``atomic``: the context set for the
    transaction must still be there when the change is written."""
    pupil = PupilFactory()
    with pghistory.context(action="outside-a-transaction"):
        pupil.legal_first_name = "Changed"
        pupil.save()
    event = pghistory.models.Events.objects.tracks(pupil).filter(pgh_label="update").last()
    assert event.pgh_context["action"] == "outside-a-transaction"


@pytest.mark.django_db(transaction=True)
def test_a_change_inside_atomic_stays_in_its_transaction():
    """Inside ``atomic`` the context goes into Django's transaction: nothing commits early, and
    a rollback takes the change back with its savepoints."""
    pupil = PupilFactory()
    with (
        pytest.raises(RuntimeError),
        transaction.atomic(),
        pghistory.context(action="rolled-back"),
    ):
        pupil.legal_first_name = "Never"
        pupil.save()
        with transaction.atomic():  # a savepoint after the first write
            pass
        raise RuntimeError
    pupil.refresh_from_db()
    assert pupil.legal_first_name != "Never"

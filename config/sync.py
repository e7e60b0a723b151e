"""Keeping an integrator's copy in step: every record an API list returns carries
``updated_at``, the moment it last changed, which ``?updated_since=`` filters on.

The database stamps it, not Django: a trigger sets it on every UPDATE that changes the row, so
a service's ``save(update_fields=[...])`` and a queryset's ``update()`` move it as a form's save
does, and a save that changes nothing does not."""

from django.db import migrations, models
from django.db.models.functions import Now


class UpdatedAtField(models.DateTimeField):
    """When the record last changed: set by the database on insert and on every real update."""

    def __init__(self, **kwargs):
        kwargs.setdefault("db_default", Now())
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("help_text", "When the record last changed (set by the database).")
        super().__init__(**kwargs)

    def deconstruct(self):
        name, _, args, kwargs = super().deconstruct()
        for key in ("db_default", "editable", "db_index", "help_text"):
            kwargs.pop(key, None)
        return name, "config.sync.UpdatedAtField", args, kwargs


TOUCH_FUNCTION = """
CREATE OR REPLACE FUNCTION casework_touch_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := statement_timestamp();
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def touch_on_update(*tables: str) -> migrations.RunSQL:
    """The migration operation that makes each table's ``updated_at`` move with its rows."""
    forward, backward = [TOUCH_FUNCTION], []
    for table in tables:
        forward.append(
            f"CREATE TRIGGER {table}_touch BEFORE UPDATE ON {table} FOR EACH ROW "
            "WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION casework_touch_updated_at()"
        )
        backward.append(f"DROP TRIGGER IF EXISTS {table}_touch ON {table}")
    return migrations.RunSQL(forward, backward)


class ExternalIdField(models.CharField):
    """The school system's own reference for a record it sent, unique per school: sent again
    (a retry after a timeout), it is answered with the record already made, never a second."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("help_text", "The school system's own reference, unique per school.")
        super().__init__(**kwargs)


def unique_external_id(prefix: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["school", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"{prefix}_external_id_unique_per_school",
        violation_error_message="The school's system has already sent a record with this "
        "external_id.",
    )


def require_new_external_id(model, school, external_id: str, *, what: str) -> None:
    """Refuse a second record with the school system's reference ``external_id``: a 409 naming
    the record already made (``existing_id``), so a retry learns where its first try went."""
    from config.errors import DomainError

    if not external_id:
        return
    existing = model.objects.filter(school=school, external_id=external_id).first()
    if existing is not None:
        raise DomainError(
            f"Your system has already sent {what} with the external_id {external_id}.",
            field="external_id",
            code="duplicate_external_id",
            conflict=True,
            existing_id=existing.pk,
        )

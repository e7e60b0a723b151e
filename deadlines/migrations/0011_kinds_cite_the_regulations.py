"""The exclusion deadlines name the regulation each comes from (deadlines/kinds.py)."""

from django.db import migrations

from deadlines.kinds import install_default_kinds


def update(apps, schema_editor):
    install_default_kinds(apps.get_model("deadlines", "DeadlineKind"),
                          apps.get_model("deadlines", "ReminderStep"))  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0010_deadline_provisional")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]

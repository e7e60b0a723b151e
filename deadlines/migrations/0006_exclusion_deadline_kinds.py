from django.db import migrations

from deadlines.kinds import install_default_kinds


def add_kinds(apps, schema_editor):
    install_default_kinds(
        apps.get_model("deadlines", "DeadlineKind"), apps.get_model("deadlines", "ReminderStep")
    )


class Migration(migrations.Migration):
    """The statutory exclusion time limits."""

    dependencies = [("deadlines", "0005_more_deadline_kinds")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]

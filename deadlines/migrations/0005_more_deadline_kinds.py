from django.db import migrations

from deadlines.kinds import install_default_kinds


def add_kinds(apps, schema_editor):
    install_default_kinds(
        apps.get_model("deadlines", "DeadlineKind"), apps.get_model("deadlines", "ReminderStep")
    )


class Migration(migrations.Migration):
    """Plan reviews and part-time timetable end dates."""

    dependencies = [("deadlines", "0004_notification_to_email")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]

from django.db import migrations

from deadlines.kinds import install_default_kinds


def add_kinds(apps, schema_editor):
    install_default_kinds(
        apps.get_model("deadlines", "DeadlineKind"), apps.get_model("deadlines", "ReminderStep")
    )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_deadlines_and_notifications")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]

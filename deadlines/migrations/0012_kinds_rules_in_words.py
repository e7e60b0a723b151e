"""Every deadline kind states its rule in words, without the numbering of the documents the
users gave (deadlines/kinds.py)."""

from django.db import migrations

from deadlines.kinds import install_default_kinds


def update(apps, schema_editor):
    install_default_kinds(apps.get_model("deadlines", "DeadlineKind"),
                          apps.get_model("deadlines", "ReminderStep"))  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0011_kinds_cite_the_regulations")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]

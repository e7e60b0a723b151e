"""The model letters, version 1 (``exclusions.model_letters``)."""

from django.db import migrations


def add(apps, schema_editor):
    from exclusions.model_letters import install_model_letters

    install_model_letters(apps.get_model("exclusions", "LetterTemplate"))


class Migration(migrations.Migration):
    dependencies = [("exclusions", "0007_letters")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

from django.db import migrations

from exclusions.reference import install_reference_data


def add(apps, schema_editor):
    install_reference_data(
        apps.get_model("exclusions", "ReasonCode"), apps.get_model("exclusions", "ExclusionRules")
    )


class Migration(migrations.Migration):
    dependencies = [("exclusions", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

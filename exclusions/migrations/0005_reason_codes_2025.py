"""The reason codes of the school census guide for 2025 to 2026 (see exclusions/reference.py):
PH added, DM and LG relabelled."""

from django.db import migrations

from exclusions.reference import install_reference_data


def update(apps, schema_editor):
    install_reference_data(
        apps.get_model("exclusions", "ReasonCode"), apps.get_model("exclusions", "ExclusionRules")
    )


class Migration(migrations.Migration):
    dependencies = [("exclusions", "0004_exam_date_notice_and_recorded_by_la")]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]

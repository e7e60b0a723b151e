from django.db import migrations


def add(apps, schema_editor):
    RetentionRule = apps.get_model("audit", "RetentionRule")
    RetentionRule.objects.get_or_create(record_kind="case", defaults={"keep_until_age": 25})


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_retention")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

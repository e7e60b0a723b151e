from django.db import migrations


class Migration(migrations.Migration):
    """Referral references (REF-2026-000123) come from one database sequence: unique under
    any concurrency, never reused."""

    dependencies = [("referrals", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE IF NOT EXISTS referrals_reference_seq START 1",
            "DROP SEQUENCE IF EXISTS referrals_reference_seq",
        )
    ]

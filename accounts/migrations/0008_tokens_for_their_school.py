"""A token issued before tokens acted for one school: a school system's, or a member of
staff's at one school, now names that school. A member of staff's at several is left without
one, and may only read until a new token is issued for one school."""

from django.db import migrations


def name_the_school(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    Membership = apps.get_model("accounts", "Membership")
    for token in ApiToken.objects.filter(school__isnull=True):
        schools = set(
            Membership.objects.filter(
                user_id=token.user_id, role="school_staff", ended_at__isnull=True
            ).values_list("organisation_id", flat=True)
        )
        if len(schools) == 1:
            token.school_id = schools.pop()
            token.save(update_fields=["school"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_token_school_and_idempotency")]

    operations = [migrations.RunPython(name_the_school, migrations.RunPython.noop)]

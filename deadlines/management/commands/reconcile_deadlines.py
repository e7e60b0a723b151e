"""Put back the deadlines live records should have and do not, and say what was done."""

from django.core.management.base import BaseCommand

from deadlines.services import reconcile_deadlines


class Command(BaseCommand):
    help = (
        "Find open referrals, cases, reviews, exclusions and plans without the live deadlines "
        "they should have, and recreate them (each with its reason in the history)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be put back; write nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        repairs = reconcile_deadlines(dry_run=dry_run)
        for repair in repairs:
            self.stdout.write(f"- {repair}")
        verb = "would be put back" if dry_run else "put back"
        count = len(repairs)
        self.stdout.write(f"{count} deadline{'s' if count != 1 else ''} {verb}.")

from django.core.management.base import BaseCommand

from audit.retention import apply_retention


class Command(BaseCommand):
    help = "Anonymise records past their retention rule (--dry-run lists them, changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, **options):
        run = apply_retention(None, dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{len(run.pupils)} pupils {verb}: {run.pupils}")

from django.core.management.base import BaseCommand

from reporting.demo import seed


class Command(BaseCommand):
    help = "Load the demo local authority, schools, pupils, users and term dates (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--pupils", type=int, default=2000, help="How many pupils (default 2000)."
        )

    def handle(self, *args, pupils, **options):
        seed(pupils=pupils, stdout=self.stdout)

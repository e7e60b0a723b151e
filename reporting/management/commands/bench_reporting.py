"""Time one quarter's service dashboard against one hand-written SQL query that computes the
same headline figures. Prints both; run by ``make bench`` on the generated load."""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind
from reporting.figures import ServiceReport
from reporting.management.commands.generate_load import bench_manager
from reporting.quarters import Quarter

SQL = """
SELECT
  COUNT(*) FILTER (WHERE submitted_at::date BETWEEN %(start)s AND %(end)s),
  COUNT(*) FILTER (WHERE allocated_at::date BETWEEN %(start)s AND %(end)s),
  COUNT(*) FILTER (WHERE allocated_at::date BETWEEN %(start)s AND %(end)s
                   AND allocation_target_met),
  PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY CASE WHEN allocated_at::date
      BETWEEN %(start)s AND %(end)s THEN EXTRACT(EPOCH FROM allocated_at - submitted_at) / 86400
      END)
FROM referrals_referral WHERE service_id = ANY(%(services)s)
"""


class Command(BaseCommand):
    help = "Benchmark the quarterly dashboard on the loaded data."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, repeat, **options):
        user = bench_manager()
        services = list(
            Organisation.objects.filter(kind=OrganisationKind.SERVICE).values_list("pk", flat=True)
        )
        quarter = Quarter.of(timezone.localdate()).previous()
        dashboard, raw = [], []
        for _ in range(repeat):
            reset_queries()
            started = time.perf_counter()
            report = ServiceReport(user, services, quarter)
            report.figures()
            report.breakdowns()
            report.trend()
            dashboard.append(time.perf_counter() - started)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    SQL, {"start": quarter.start, "end": quarter.end, "services": services}
                )
                cursor.fetchone()
            raw.append(time.perf_counter() - started)
        self.stdout.write(
            f"quarter {quarter.label}: dashboard median {statistics.median(dashboard):.3f} s "
            f"(all figures and tables); one hand-written SQL query for the headline figures "
            f"median {statistics.median(raw):.3f} s; target under 1 s"
        )

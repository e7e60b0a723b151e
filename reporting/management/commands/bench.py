"""Time the main pages and API lists on the generated load (``make bench``), each against its
floor: the same data fetched by one hand-written SQL query, timed in the same run. Writes
``var/bench/results.md`` and ``results.json`` and prints the table.

Targets (issue: performance at LA scale): every page's median under 150 ms and at most three
times its floor; the number of queries the same whatever the data's size."""

import json
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, User
from cases.models import Case
from pupils.models import Pupil
from reporting.management.commands.generate_load import bench_manager
from reporting.quarters import Quarter

TARGET_MEDIAN_MS = 150
TARGET_RATIO = 3

DASHBOARD_SQL = """
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
PUPIL_COLUMNS = "id, upn, legal_first_name, legal_last_name, preferred_first_name, date_of_birth"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Benchmark the main pages and API lists against hand-written SQL floors."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "var" / "bench"))
        parser.add_argument(
            "--sweeps-only", action="store_true",
            help="Time the reminder and review sweeps only (make bench runs this at 100,000 "
            "pupils, then everything at the full size)",
        )  # fmt: skip

    def handle(self, *args, repeat, out, sweeps_only, **options):
        pupils = Pupil.objects.count()
        Path(out).mkdir(parents=True, exist_ok=True)
        results = Path(out, "results.json")
        earlier = json.loads(results.read_text()).get("sweeps", []) if results.exists() else []
        sweeps = [row for row in earlier if row["pupils"] != pupils] + self.sweeps(pupils)
        if sweeps_only:
            results.write_text(json.dumps({"pupils": pupils, "sweeps": sweeps}, indent=2))
            self.stdout.write(self.sweep_table(sweeps))
            return
        rows = [self.measure(*case, repeat=repeat) for case in self.cases()]
        results.write_text(
            json.dumps({"pupils": pupils, "pages": rows, "sweeps": sweeps}, indent=2)
        )
        table = self.table(rows, pupils) + "\n" + self.sweep_table(sweeps)
        Path(out, "results.md").write_text(table)
        self.stdout.write(table)

    def sweeps(self, pupils: int) -> list[dict]:
        """The reminder sweep and the review sweep, once each, on today's date: their cost
        should follow what is due, not the number of pupils (target: under 30 s at 1,000,000)."""
        from cases.reviews import sweep_reviews
        from deadlines.services.reminders import sweep_reminders

        rows = []
        for name, sweep in [("Reminder sweep", sweep_reminders), ("Review sweep", sweep_reviews)]:
            # Rolled back afterwards, so every run finds the same work due.
            with transaction.atomic():
                started = time.perf_counter()
                done = sweep()
                seconds = time.perf_counter() - started
                transaction.set_rollback(True)
            rows.append({"sweep": name, "pupils": pupils, "written": done,
                         "seconds": round(seconds, 2)})  # fmt: skip
        return rows

    def sweep_table(self, sweeps) -> str:
        lines = ["| Sweep | Pupils | Rows written | Seconds |", "| --- | ---: | ---: | ---: |"]
        for row in sorted(sweeps, key=lambda row: (row["sweep"], row["pupils"])):
            lines.append(f"| {row['sweep']} | {row['pupils']:,} | {row['written']} | "
                         f"{row['seconds']} |")  # fmt: skip
        return "\n".join(lines) + "\n"

    def cases(self):
        """(name, user, url, floor SQL, floor parameters) for each page measured."""
        manager = bench_manager()
        caseworker = User.objects.get(email="caseworker@northmoor.example")
        screener = User.objects.get(email="screener@northmoor.example")
        officer = User.objects.get(email="exclusions@northmoor.example")
        pupil = Pupil.objects.visible_to(manager).filter(referrals__isnull=False).order_by("pk")[0]
        case = Case.objects.visible_to(caseworker).filter(caseworker=caseworker).order_by("-pk")
        case = case.first()
        quarter = Quarter.of(timezone.localdate()).previous()
        services = list(
            Organisation.objects.filter(kind=OrganisationKind.SERVICE).values_list("pk", flat=True)
        )
        name_part = pupil.legal_first_name[:-1]
        yield ("Pupil search by part of a name", manager,
               f"{reverse('pupils:search')}?q={name_part}",
               f"SELECT {PUPIL_COLUMNS} FROM pupils_pupil WHERE legal_first_name ILIKE %s "
               "ORDER BY legal_last_name, id LIMIT 50", [f"%{name_part}%"])  # fmt: skip
        yield ("Pupil search by UPN", manager, f"{reverse('pupils:search')}?q={pupil.upn}",
               f"SELECT {PUPIL_COLUMNS} FROM pupils_pupil WHERE upn = %s", [pupil.upn])  # fmt: skip
        yield ("A pupil's page", manager, reverse("pupils:detail", args=[pupil.pk]),
               "SELECT p.id, p.upn, p.legal_first_name, p.legal_last_name, p.date_of_birth, "
               "r.reference, r.status FROM pupils_pupil p LEFT JOIN "
               "referrals_referral r ON r.pupil_id = p.id WHERE p.id = %s", [pupil.pk])  # fmt: skip
        yield ("The screening queue", screener, reverse("referrals:queue"),
               "SELECT id, reference, submitted_at FROM referrals_referral WHERE status = "
               "'submitted' ORDER BY submitted_at, id LIMIT 50", [])  # fmt: skip
        yield ("A caseload", caseworker, reverse("cases:mine"),
               "SELECT c.id, c.opened_on, COUNT(x.id) FROM cases_case c LEFT JOIN cases_contact x "
               "ON x.case_id = c.id WHERE c.caseworker_id = %s AND c.status = 'open' "
               "GROUP BY c.id", [caseworker.pk])  # fmt: skip
        if case is not None:
            yield ("A case page", caseworker, reverse("cases:detail", args=[case.pk]),
                   "SELECT id, date, kind, notes FROM cases_contact WHERE case_id = %s "
                   "ORDER BY date", [case.pk])  # fmt: skip
        yield ("My deadlines", caseworker, reverse("deadlines:mine"),
               "SELECT id, title, due_date FROM deadlines_deadline WHERE owner_user_id = %s "
               "AND status = 'open' ORDER BY due_date LIMIT 50", [caseworker.pk])  # fmt: skip
        yield ("The exclusions register", officer, reverse("exclusions:register"),
               "SELECT id, start_date, kind FROM exclusions_exclusion ORDER BY start_date DESC, "
               "id DESC LIMIT 50", [])  # fmt: skip
        yield ("The quarterly dashboard", manager, reverse("reporting:services"),
               DASHBOARD_SQL, {"start": quarter.start, "end": quarter.end,
                               "services": services})  # fmt: skip
        yield ("API: pupils", manager, reverse("api:pupil-list"),
               f"SELECT {PUPIL_COLUMNS} FROM pupils_pupil ORDER BY legal_last_name, id LIMIT 50",
               [])  # fmt: skip
        yield ("API: referrals", manager, reverse("api:referral-list"),
               "SELECT id, reference, status FROM referrals_referral ORDER BY id DESC LIMIT 50",
               [])  # fmt: skip

    def measure(self, name, user, url, sql, params, *, repeat):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        response = client.get(url)  # warm: the session, the caches, the plans
        page, floor, queries = [], [], []

        def count(execute, *args):  # every statement, whatever DEBUG says
            queries.append(args[0])
            return execute(*args)

        with connection.execute_wrapper(count):
            client.get(url)
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            page.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
            floor.append((time.perf_counter() - started) * 1000)
        median, floor_median = statistics.median(page), statistics.median(floor)
        return {
            "page": name, "url": url, "status": response.status_code,
            "median_ms": round(median, 1), "p95_ms": round(percentile(page, 0.95), 1),
            "queries": len(queries), "floor_ms": round(floor_median, 1),
            "ratio": round(median / floor_median, 1) if floor_median else None,
            "meets_target": response.status_code == 200 and median < TARGET_MEDIAN_MS
            and (median / floor_median if floor_median else 0) <= TARGET_RATIO,
        }  # fmt: skip

    def table(self, rows, pupils) -> str:
        lines = [
            f"Benchmark on {pupils:,} pupils, {timezone.now():%Y-%m-%d %H:%M} "
            f"(target: median under {TARGET_MEDIAN_MS} ms and at most {TARGET_RATIO}x the floor)",
            "",
            "| Page | Median ms | p95 ms | Queries | Floor ms | Page / floor | Target |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for row in rows:
            failed = "" if row["status"] == 200 else f" (HTTP {row['status']})"
            lines.append(
                f"| {row['page']} | {row['median_ms']} | {row['p95_ms']} | {row['queries']} | "
                f"{row['floor_ms']} | {row['ratio']} | "
                f"{'met' if row['meets_target'] else 'MISSED'}{failed} |"
            )
        return "\n".join(lines) + "\n"

"""Build a large fictional authority for benchmarks: pupils, enrolments, referrals, cases,
contacts and exclusions in bulk. Meant for a database of its own (``make bench`` uses
``casework_bench``): history triggers are switched off while it loads."""

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from stdnum.gb import upn as upn_rules

from accounts.models import Organisation, OrganisationKind, Role, User
from accounts.services import grant_membership
from cases.models import Case, Contact
from exclusions.models import Exclusion
from pupils.models import Enrolment, Pupil, School
from referrals.demo import seed_referral_types
from referrals.models import Referral, ReferralType

BATCH = 5000


class Command(BaseCommand):
    help = "Generate a large fictional authority for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--pupils", type=int, default=1_000_000)
        parser.add_argument("--schools", type=int, default=400)

    def handle(self, *args, pupils, schools, **options):
        from accounts.demo import seed

        loaded = Pupil.objects.filter(legal_first_name__startswith="Pupil").count()
        if loaded >= pupils:
            self.stdout.write(f"Already {loaded} generated pupils: nothing to do.")
            return
        seed(pupils=0, stdout=self.stdout)
        seed_referral_types()
        rng = random.Random(7)
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no history triggers
        try:
            self._load(rng, loaded, pupils, schools)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"{Pupil.objects.count()} pupils loaded.")

    def _load(self, rng, first, total_pupils, total_schools):
        authority = Organisation.objects.get(code="northmoor")
        school_ids = self._schools(authority, total_schools)
        types = list(ReferralType.objects.select_related("service"))
        caseworker = User.objects.get(email="caseworker@northmoor.example")
        now = timezone.now()
        today = timezone.localdate()
        for start in range(first, total_pupils, BATCH):
            with transaction.atomic():
                self._batch(rng, start, min(BATCH, total_pupils - start), school_ids, types,
                            caseworker, now, today)  # fmt: skip
            if start % (BATCH * 20) == 0:
                self.stdout.write(f"  {start + BATCH} pupils")

    def _schools(self, authority, total):
        existing = list(School.objects.values_list("pk", flat=True))
        for index in range(len(existing), total):
            organisation = Organisation.objects.create(
                name=f"Load School {index}", kind=OrganisationKind.SCHOOL,
                code=f"load-{index}", local_authority=authority,
            )  # fmt: skip
            school = School.objects.create(
                organisation=organisation, urn=str(500000 + index),
                establishment_number=f"{3000 + index % 6000:04d}", name=organisation.name,
                phase="primary" if index % 5 else "secondary", school_type="academy",
            )  # fmt: skip
            existing.append(school.pk)
        return existing

    def _batch(self, rng, start, size, school_ids, types, caseworker, now, today):
        pupils = []
        for n in range(start, start + size):
            body = f"873{9000 + n // 100000 % 1000:04d}{n // 1000 % 100:02d}{n % 1000:03d}"
            pupils.append(
                Pupil(
                    upn=upn_rules.calc_check_digit(body[:12]) + body[:12],
                    legal_first_name=f"Pupil{n}",
                    legal_last_name=rng.choice(["Smith", "Jones", "Patel", "Khan", "Brown"]),
                    date_of_birth=datetime.date(2010, 9, 1) + datetime.timedelta(days=n % 3650),
                    gender=rng.choice("FM"),
                    care_status="cla" if n % 97 == 0 else "none",
                    sen_status="sen_support" if n % 7 == 0 else "none",
                    sen_primary_need="SEMH" if n % 7 == 0 else "",
                    pupil_premium=n % 4 == 0,
                )
            )
        pupils = Pupil.objects.bulk_create(pupils)
        enrolments, referrals = [], []
        for pupil in pupils:
            school = school_ids[pupil.pk % len(school_ids)]
            enrolments.append(
                Enrolment(pupil=pupil, school_id=school, start_date=datetime.date(2024, 9, 1))
            )
            if pupil.pk % 10 == 0:
                kind = types[pupil.pk % len(types)]
                submitted = now - datetime.timedelta(days=pupil.pk % 700)
                allocated = pupil.pk % 20 == 0
                referrals.append(
                    Referral(
                        referral_type=kind, pupil=pupil, school_id=school, service=kind.service,
                        gateway=kind.gateway, status="allocated" if allocated else "declined",
                        submitted_at=submitted, decided_at=submitted + datetime.timedelta(days=2),
                        allocated_at=submitted + datetime.timedelta(days=9) if allocated else None,
                        allocation_target_met=allocated and pupil.pk % 3 != 0,
                        reference=f"REF-LOAD-{pupil.pk:08d}", reason="Load test",
                    )
                )  # fmt: skip
        Enrolment.objects.bulk_create(enrolments)
        referrals = Referral.objects.bulk_create(referrals)
        cases, exclusions = [], []
        for referral in referrals:
            if referral.status == "allocated":
                opened = referral.allocated_at.date()
                closed = opened + datetime.timedelta(days=120)
                cases.append(
                    Case(
                        referral=referral, pupil=referral.pupil, service=referral.service,
                        school_id=referral.school_id, caseworker=caseworker,
                        opened_on=opened, status="closed" if closed < today else "open",
                        closed_on=closed if closed < today else None,
                        closure_reason="risk_reduced" if closed < today else "",
                    )
                )  # fmt: skip
            if referral.pupil_id % 20 == 10:
                exclusions.append(
                    Exclusion(
                        pupil_id=referral.pupil_id, school_id=referral.school_id,
                        kind="suspension", start_date=referral.submitted_at.date(), sessions=4,
                        description="Load test", parents_told_on=referral.submitted_at.date(),
                        parents_told_how="Phone", board_told_on=referral.submitted_at.date(),
                        created_by=caseworker,
                    )
                )  # fmt: skip
        cases = Case.objects.bulk_create(cases)
        Exclusion.objects.bulk_create(exclusions)
        Contact.objects.bulk_create(
            Contact(case=case, date=case.opened_on, kind="school_visit", participants="SENCO",
                    duration_minutes=45, notes="Load test", recorded_by=caseworker)
            for case in cases
            for _ in range(3)
        )  # fmt: skip


def bench_manager():
    """The demo BOSS manager, with a membership of every service for the benchmark."""
    manager = User.objects.get(email="manager@northmoor.example")
    for service in Organisation.objects.filter(kind=OrganisationKind.SERVICE):
        grant_membership(None, manager, service, Role.SERVICE_MANAGER)
    return manager

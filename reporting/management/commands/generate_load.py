"""Build a large fictional authority for benchmarks: pupils, enrolments, referrals, cases,
contacts and exclusions in bulk. Meant for a database of its own (``make bench`` uses
``casework_bench``): history triggers are switched off while it loads.

For every 1,000,000 pupils: 300,000 referrals (a third allocated, a third declined, the rest
redirected but for 1,000 waiting in the screening queue), 100,000 cases shared among 100
caseworkers of each service with 20 contacts each (2,000,000; one case in 100 has 200, for the
case page's benchmark, and its pupil 50 entries on their timeline, for the pupil page's), 200,000
exclusions, and for every open case its "maximum involvement"
deadline, whose reminder steps fall due on the day they would in a service that sweeps daily (a
few hundred reminders due today per million pupils: the reminder sweep's real work)."""

import datetime
import random
import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from stdnum.gb import upn as upn_rules

from accounts.models import Organisation, OrganisationKind, Role, User
from accounts.services import grant_membership
from cases.models import Case, CaseStatus, Contact
from deadlines.calendar import calendars_for
from deadlines.codes import KindCode
from deadlines.models import Deadline, DeadlineKind
from deadlines.services.deadlines import next_reminder_on
from exclusions.models import Exclusion
from pupils.models import Enrolment, Pupil, School
from referrals.demo import seed_referral_types
from referrals.models import Referral, ReferralType

# Names as varied as a real authority's: 60 first names, and 1,500 surnames made of two parts, so
# that a search for part of a surname finds hundreds of pupils in a million, not all of them.
# fmt: off
FIRST_NAMES = [
    "Oliver", "George", "Noah", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie",
    "Henry", "Theodore", "Freddie", "Jack", "Charlie", "Theo", "Alfie", "Jacob", "Thomas",
    "Finley", "Arlo", "William", "Lucas", "Roman", "Tommy", "Isaac", "Teddy", "Olivia",
    "Amelia", "Isla", "Ava", "Ivy", "Freya", "Lily", "Florence", "Mia", "Willow", "Rosie",
    "Sophia", "Isabella", "Grace", "Daisy", "Sienna", "Poppy", "Elsie", "Emily", "Ella",
    "Evelyn", "Phoebe", "Sofia", "Evie", "Charlotte", "Harper", "Millie", "Matilda", "Maya",
    "Sophie", "Alice", "Emilia", "Aisha", "Zara", "Amira",
]
SURNAME_STARTS = [
    "Ash", "Black", "Brad", "Brook", "Burn", "Cal", "Car", "Chad", "Clay", "Cole", "Crom",
    "Dal", "Dun", "East", "Elm", "Fair", "Fen", "Ford", "Gar", "Glen", "Green", "Hal", "Ham",
    "Har", "Hart", "Hay", "Hol", "Kel", "Ken", "Kirk", "Lang", "Lin", "Mar", "Mid", "Mil",
    "Mor", "New", "Nor", "Oak", "Pen", "Rad", "Red", "Rye", "Sal", "Shel", "Stan", "Stock",
    "Sut", "Thorn", "Wal", "Ald", "Ames", "Bar", "Bel", "Bing", "Bram", "Brent", "Cam", "Chat",
    "Ches", "Cliff", "Cor", "Dart", "Den", "Dor", "Eg", "Elles", "Farn", "Fox", "Gos", "Hadd",
    "Hep", "Holm", "Hun", "Ing", "Kes", "Lock", "Lud", "Mal", "Mans", "Marl", "Mel", "Nash",
    "Ox", "Pres", "Rain", "Ros", "Rush", "Sand", "Sel", "Shaw", "Sher", "Swin", "Tam", "Tad",
    "Ux", "Ver", "War", "Wes", "Wim",
]
SURNAME_ENDS = [
    "ley", "ton", "by", "well", "worth", "field", "wood", "ham", "stead", "more", "ridge",
    "land", "cott", "hurst", "wick",
]
# fmt: on
SURNAMES = [start + end for start in SURNAME_STARTS for end in SURNAME_ENDS]
BATCH = 5000
CASEWORKERS_PER_SERVICE = 100
CONTACTS_PER_CASE = 20
CONTACTS_PER_LONG_CASE = 200  # one case in 100 (the pupil's number in the load ends 000)


class Command(BaseCommand):
    help = "Generate a large fictional authority for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--pupils", type=int, default=1_000_000)
        parser.add_argument("--schools", type=int, default=400)

    def handle(self, *args, pupils, schools, **options):
        from reporting.demo import seed

        self.started = time.monotonic()
        loaded = Pupil.objects.count()  # the demo seed below adds none
        if loaded >= pupils:
            added = long_timelines()  # a load made before the timelines were part of it
            self.stdout.write(f"Already {loaded} pupils: nothing to do but {added} timelines.")
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
        long_timelines()
        # Fresh statistics, and the visibility map that lets counts read an index alone
        # (VACUUM cannot run inside a transaction, as it is when a test calls this command).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(
            f"{Pupil.objects.count()} pupils loaded in {time.monotonic() - self.started:.0f} s."
        )

    def _load(self, rng, first, total_pupils, total_schools):
        authority = Organisation.objects.get(code="northmoor")
        school_ids = self._schools(authority, total_schools)
        types = list(ReferralType.objects.select_related("service"))
        teams = self._caseworkers(types)
        now = timezone.now()
        today = timezone.localdate()
        self.deadline_kind = DeadlineKind.objects.prefetch_related("steps").get(
            code=KindCode.BOSS_MAXIMUM_INVOLVEMENT
        )
        self.calendars = calendars_for(School.objects.select_related("organisation"))
        self.case_type = ContentType.objects.get_for_model(Case)
        for start in range(first, total_pupils, BATCH):
            with transaction.atomic():
                self._batch(rng, start, min(BATCH, total_pupils - start), school_ids, types,
                            teams, now, today)  # fmt: skip
            if start % (BATCH * 20) == 0:
                self.stdout.write(
                    f"  {start + BATCH} pupils ({time.monotonic() - self.started:.0f} s)"
                )

    def _caseworkers(self, types) -> dict[int, list[int]]:
        """Each service's caseworkers (the demo caseworker among BOSS's), by service id."""
        from accounts.models import Membership

        demo = User.objects.get(email="caseworker@northmoor.example")
        teams = {}
        for service_id in sorted({kind.service_id for kind in types}):
            emails = [f"load.caseworker{service_id}.{n}@northmoor.example"
                      for n in range(CASEWORKERS_PER_SERVICE)]  # fmt: skip
            users = []
            for email in emails:
                user = User(email=email, full_name=f"Caseworker {email.split('@')[0][4:]}")
                user.set_unusable_password()
                users.append(user)
            User.objects.bulk_create(users, ignore_conflicts=True)
            ids = list(User.objects.filter(email__in=emails).values_list("pk", flat=True))
            Membership.objects.bulk_create(
                [Membership(user_id=pk, organisation_id=service_id, role=Role.CASEWORKER)
                 for pk in ids], ignore_conflicts=True,
            )  # fmt: skip
            if demo.memberships.filter(organisation_id=service_id, ended_at__isnull=True).exists():
                ids[0] = demo.pk
            teams[service_id] = ids
        return teams

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

    def _batch(self, rng, start, size, school_ids, types, teams, now, today):
        pupils = []
        for n in range(start, start + size):
            body = f"873{9000 + n // 100000 % 1000:04d}{n // 1000 % 100:02d}{n % 1000:03d}"
            pupils.append(
                Pupil(
                    upn=upn_rules.calc_check_digit(body[:12]) + body[:12],
                    legal_first_name=rng.choice(FIRST_NAMES),
                    legal_last_name=rng.choice(SURNAMES),
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
        # The shape follows each pupil's place in the load, not its database id, so a load of
        # any size (or a test's, after other tests) has the same proportions.
        ordinal = {pupil.pk: n for n, pupil in enumerate(pupils, start)}
        for pupil in pupils:
            n = ordinal[pupil.pk]
            school = school_ids[n % len(school_ids)]
            enrolments.append(
                Enrolment(pupil=pupil, school_id=school, start_date=datetime.date(2024, 9, 1))
            )
            if n % 10 in (0, 3, 6):  # 30% of pupils are referred
                kind = types[n % len(types)]
                submitted = now - datetime.timedelta(days=n // 10 % 700)
                allocated = n % 10 == 0
                status = {0: "allocated", 3: "declined"}.get(n % 10, "redirected")
                if status == "redirected" and n % 1000 == 6:
                    status = "submitted"  # the screening queue: 1 in 1,000 pupils
                referrals.append(
                    Referral(
                        referral_type=kind, pupil=pupil, school_id=school, service=kind.service,
                        gateway=kind.gateway, status=status, submitted_at=submitted,
                        decided_at=None if status == "submitted"
                        else submitted + datetime.timedelta(days=2),
                        allocated_at=submitted + datetime.timedelta(days=9) if allocated else None,
                        allocation_target_met=allocated and n % 3 != 0,
                        reference=f"REF-LOAD-{pupil.pk:08d}", reason="Load test",
                    )
                )  # fmt: skip
        Enrolment.objects.bulk_create(enrolments)
        referrals = Referral.objects.bulk_create(referrals)
        cases, exclusions = [], []
        for referral in referrals:
            if referral.status == "allocated":
                team = teams[referral.service_id]
                opened = referral.allocated_at.date()
                closed = opened + datetime.timedelta(days=150)
                cases.append(
                    Case(
                        referral=referral, pupil=referral.pupil, service=referral.service,
                        school_id=referral.school_id,
                        caseworker_id=team[ordinal[referral.pupil_id] // 10 % len(team)],
                        opened_on=opened,
                        status=CaseStatus.CLOSED if closed < today else CaseStatus.OPEN,
                        contact_count=CONTACTS_PER_LONG_CASE
                        if ordinal[referral.pupil_id] % 1000 == 0 else CONTACTS_PER_CASE,
                        closed_on=closed if closed < today else None,
                        closure_reason="risk_reduced" if closed < today else "",
                    )
                )  # fmt: skip
            if ordinal[referral.pupil_id] % 10 in (0, 3):  # 20% of pupils are excluded
                exclusions.append(
                    Exclusion(
                        pupil_id=referral.pupil_id, school_id=referral.school_id,
                        kind="suspension", start_date=referral.submitted_at.date(), sessions=4,
                        description="Load test", parents_told_on=referral.submitted_at.date(),
                        parents_told_how="Phone", board_told_on=referral.submitted_at.date(),
                        created_by_id=teams[referral.service_id][0],
                    )
                )  # fmt: skip
        cases = Case.objects.bulk_create(cases)
        Exclusion.objects.bulk_create(exclusions)
        Contact.objects.bulk_create(
            (Contact(case=case, date=case.opened_on + datetime.timedelta(days=n * 100 // count),
                     kind="school_visit", participants="SENCO", duration_minutes=45,
                     notes="Load test", recorded_by_id=case.caseworker_id)
             for case in cases
             for count in [case.contact_count]
             for n in range(count)),
            batch_size=BATCH,
        )  # fmt: skip
        self._deadlines([case for case in cases if case.status == "open"], today)

    def _deadlines(self, open_cases, today):
        """Each open case gets its maximum-involvement deadline, 22 weeks (154 days) from
        opening; its next reminder is the first of its steps, counted in the school's own
        calendar as the sweep counts them, on or after today."""
        deadlines = []
        for case in open_cases:
            deadline = Deadline(
                kind=self.deadline_kind, subject_type=self.case_type, subject_id=case.pk,
                pupil_id=case.pupil_id, school_id=case.school_id,
                title="BOSS involvement reaches 22 weeks", start_date=case.opened_on,
                length=22, counting="school_weeks",
                due_date=case.opened_on + datetime.timedelta(days=154),
                counting_note="Load test", owner_user_id=case.caseworker_id,
            )  # fmt: skip
            deadline.next_reminder_on = next_reminder_on(
                deadline, after=today - datetime.timedelta(days=1),
                calendar=self.calendars.get(case.school_id),
            )  # fmt: skip
            deadlines.append(deadline)
        Deadline.objects.bulk_create(deadlines)


TIMELINE_ENTRIES = 50  # on the timeline of each pupil with a long case
REFERRAL_STEPS = ["started", "submitted", "more_information", "answered", "accepted", "allocated"]
CASE_STEPS = ["opened"] + ["reallocated"] * 19
EXCLUSION_STEPS = ["notified", "parents_asked", "board", "provision", "review_applied", "panel"]


def long_timelines() -> int:
    """The pupil of each long case gets 50 entries on their timeline (the pupil page's
    benchmark): their referral's six steps, the case opened and reallocated 19 times, and 24
    steps of their suspension, a day apart. Returns the number of pupils given them; those who
    have them already are left alone, so a second run adds nothing."""
    from cases.models import CaseActivity
    from exclusions.models import ExclusionActivity
    from referrals.models import ReferralActivity

    long_cases = (
        Case.objects.filter(contact_count=CONTACTS_PER_LONG_CASE, referral__isnull=False)
        .exclude(referral__activities__isnull=False)
        .select_related("referral")
    )
    rows = {ReferralActivity: [], CaseActivity: [], ExclusionActivity: []}
    cases = list(long_cases)
    exclusions = {}
    for exclusion in Exclusion.objects.filter(pupil__in=[case.pupil_id for case in cases]):
        exclusions.setdefault(exclusion.pupil_id, exclusion)
    for case in cases:
        actor = case.caseworker_id
        steps = [
            (ReferralActivity, {"referral": case.referral, "kind": kind}) for kind in REFERRAL_STEPS
        ]
        steps += [(CaseActivity, {"case": case, "kind": kind}) for kind in CASE_STEPS]
        exclusion = exclusions.get(case.pupil_id)
        if exclusion is not None:
            steps += [(ExclusionActivity, {"exclusion": exclusion, "kind": EXCLUSION_STEPS[n % 6]})
                      for n in range(TIMELINE_ENTRIES - len(steps))]  # fmt: skip
        for days_ago, (model, fields) in enumerate(reversed(steps)):  # the newest last step
            rows[model].append((model(actor_id=actor, note="Load test", **fields), days_ago))
    now = timezone.now()
    with transaction.atomic():
        for model, made in rows.items():
            model.objects.bulk_create([row for row, _ in made], batch_size=BATCH)
            for row, days_ago in made:  # ``at`` is set on creation: a day apart instead
                row.at = now - datetime.timedelta(days=days_ago)
            model.objects.bulk_update([row for row, _ in made], ["at"], batch_size=BATCH)
    return len(cases)


def bench_manager():
    """The demo BOSS manager, with a membership of every service for the benchmark."""
    manager = User.objects.get(email="manager@northmoor.example")
    for service in Organisation.objects.filter(kind=OrganisationKind.SERVICE):
        grant_membership(None, manager, service, Role.SERVICE_MANAGER)
    return manager

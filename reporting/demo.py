"""A fictional local authority to log in to: organisations, about 40 schools of every phase,
about 2,000 pupils with fake names and valid UPNs, one user per role, and term dates for this and
next academic year. Deterministic, and idempotent: a second run adds nothing."""

import datetime
import random

from django.utils import timezone
from faker import Faker
from stdnum.gb import upn as upn_rules

from accounts import services as account_services
from accounts.models import Organisation, OrganisationKind, Role, User
from deadlines import services as calendar_services
from deadlines.codes import KindCode
from deadlines.typical_terms import typical_inset_days, typical_terms
from pupils import services as pupil_services
from pupils.models import (
    CareStatus,
    Gender,
    Phase,
    Pupil,
    Relationship,
    School,
    SchoolType,
    SenPrimaryNeed,
    SenStatus,
)
from pupils.years import academic_year_of

LA_NAME = "Northmoor Borough Council"
LA_CODE = "northmoor"
LA_NUMBER = "873"
DEMO_PASSWORD = "demo-password-2026"
EMAIL_DOMAIN = "northmoor.example"

SERVICES = [
    ("boss", "BOSS: Behaviour Outreach Support Service", OrganisationKind.SERVICE),
    ("bass", "BASS: Behaviour and Attendance Support Service", OrganisationKind.SERVICE),
    (
        "bacme",
        "BACME: Behaviour, Attendance and Children Missing Education",
        OrganisationKind.SERVICE,
    ),
    ("behaviour-officer", "Parent Partnership: Behaviour Officer", OrganisationKind.SERVICE),
    ("prt", "PRT: Pupil Referral Team", OrganisationKind.GATEWAY),
    ("bacme-inbox", "BACME referral inbox", OrganisationKind.GATEWAY),
    ("virtual-school", "Northmoor Virtual School", OrganisationKind.VIRTUAL_SCHOOL),
]

# (phase, how many, lowest and highest national curriculum year, establishment number base)
SCHOOL_MIX = [
    (Phase.NURSERY, 1, -1, -1, 1000),
    (Phase.PRIMARY, 24, 0, 6, 2000),
    (Phase.MIDDLE, 1, 5, 8, 3000),
    (Phase.SECONDARY, 8, 7, 13, 4000),
    (Phase.ALL_THROUGH, 2, 0, 11, 4500),
    (Phase.SPECIAL, 2, 1, 11, 7000),
    (Phase.PRU, 1, 7, 11, 1100),
    (Phase.ALTERNATIVE_PROVISION, 1, 9, 11, 1150),
]
SUFFIX = {
    Phase.NURSERY: "Nursery School",
    Phase.PRIMARY: "Primary School",
    Phase.MIDDLE: "Middle School",
    Phase.SECONDARY: "Academy",
    Phase.ALL_THROUGH: "All-Through School",
    Phase.SPECIAL: "Special School",
    Phase.PRU: "Pupil Referral Unit",
    Phase.ALTERNATIVE_PROVISION: "Alternative Provision Centre",
}
PLACES = [
    "Ashgrove",
    "Beckfield",
    "Birchwood",
    "Brookside",
    "Castlegate",
    "Cherry Tree",
    "Coldharbour",
    "Elmhurst",
    "Fernbank",
    "Foxhill",
    "Greenacre",
    "Hawthorn",
    "Heathside",
    "Highfield",
    "Hollybank",
    "Kingsmead",
    "Larkrise",
    "Lowfield",
    "Maple Grove",
    "Meadowview",
    "Millbrook",
    "Northgate",
    "Oakwood",
    "Orchard",
    "Parkside",
    "Queensway",
    "Riverside",
    "Rosehill",
    "St Aidan's",
    "St Hilda's",
    "Southmoor",
    "Springfield",
    "Stonebridge",
    "Thornbury",
    "Westfield",
    "Willowbank",
    "Windmill Hill",
    "Woodlands",
    "Yewtree",
    "Moorside",
]

DEMO_USERS = [
    ("senco@northmoor.example", "Sam Patel", "SENCO", Role.SCHOOL_STAFF),
    ("screener@northmoor.example", "Grace Okafor", "PRT screener", Role.GATEWAY_SCREENER),
    ("caseworker@northmoor.example", "Chris Walsh", "BOSS caseworker", Role.CASEWORKER),
    ("manager@northmoor.example", "Morgan Reid", "BOSS service manager", Role.SERVICE_MANAGER),
    (
        "virtualschool@northmoor.example",
        "Vic Adeyemi",
        "Virtual school officer",
        Role.VIRTUAL_SCHOOL_OFFICER,
    ),
    ("admin@northmoor.example", "Alex Hughes", "LA systems administrator", Role.LA_ADMINISTRATOR),
    ("exclusions@northmoor.example", "Jordan Price", "Exclusions officer", Role.EXCLUSIONS_OFFICER),
    ("lamanager@northmoor.example", "Robin Ellis", "Head of inclusion", Role.LA_MANAGER),
]


def seed(*, pupils: int = 2000, stdout=None) -> dict:
    rng = random.Random(2026)
    fake = Faker("en_GB")
    fake.seed_instance(2026)
    today = timezone.localdate()

    authority = _organisation(
        None, LA_CODE, LA_NAME, OrganisationKind.LOCAL_AUTHORITY, la_number=LA_NUMBER
    )
    organisations = {
        code: _organisation(authority, code, name, kind) for code, name, kind in SERVICES
    }
    schools, ranges = _schools(authority)
    _users(authority, organisations, schools)
    _calendar(authority, academic_year_of(today))
    created = _pupils(rng, fake, schools, ranges, pupils, today)
    _deadlines(organisations, today)
    from referrals.demo import seed_referral_types, seed_referrals

    seed_referral_types()
    from cases.demo import seed_cases, seed_service_settings

    seed_service_settings()
    seed_referrals(today)
    seed_cases(today)
    from plans.demo import seed_plans

    seed_plans(today)
    from exclusions.demo import seed_exclusions

    seed_exclusions(today)
    if stdout:
        stdout.write(f"{len(schools)} schools, {Pupil.objects.count()} pupils ({created} new)")
    return {"schools": len(schools), "pupils_created": created}


def _organisation(authority, code, name, kind, **fields):
    existing = Organisation.objects.filter(code=code).first()
    if existing:
        return existing
    return account_services.create_organisation(
        None, name=name, kind=kind, code=code, authority=authority, **fields
    )


def _schools(authority):
    schools, ranges, index = [], {}, 0
    existing = {school.urn: school for school in School.objects.all()}
    for phase, count, lowest, highest, base in SCHOOL_MIX:
        for n in range(count):
            name = f"{PLACES[index]} {SUFFIX[phase]}"
            urn = str(140000 + index * 7)
            school = existing.get(urn) or pupil_services.create_school(
                None,
                authority=authority,
                urn=urn,
                establishment_number=str(base + n + 1),
                name=name,
                phase=phase,
                school_type=SchoolType.ACADEMY if index % 3 == 0 else SchoolType.MAINTAINED,
            )
            schools.append(school)
            ranges[school.pk] = (lowest, highest)
            index += 1
    return schools, ranges


def _users(authority, organisations, schools):
    homes = {
        Role.GATEWAY_SCREENER: [organisations["prt"]],
        Role.CASEWORKER: [organisations["boss"]],
        Role.SERVICE_MANAGER: [organisations["boss"]],
        Role.VIRTUAL_SCHOOL_OFFICER: [organisations["virtual-school"]],
        Role.LA_ADMINISTRATOR: [authority],
        Role.EXCLUSIONS_OFFICER: [authority],
        Role.LA_MANAGER: [authority],
        # A SENCO for two schools: a primary and a secondary.
        Role.SCHOOL_STAFF: [
            next(s for s in schools if s.phase == Phase.PRIMARY).organisation,
            next(s for s in schools if s.phase == Phase.SECONDARY).organisation,
        ],
    }
    for email, full_name, job_title, role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            is_admin = role == Role.LA_ADMINISTRATOR
            user = account_services.create_user(
                None,
                email=email,
                full_name=full_name,
                password=DEMO_PASSWORD,
                job_title=job_title,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
        for organisation in homes[role]:
            account_services.grant_membership(None, user, organisation, role)


def _calendar(authority, this_year):
    for year in (this_year, this_year + 1):
        for name, start, end in typical_terms(year):
            calendar_services.set_term_dates(
                None,
                authority=authority,
                academic_year=year,
                name=name,
                start_date=start,
                end_date=end,
            )
        for day in typical_inset_days(year):
            calendar_services.add_inset_day(None, authority=authority, date=day)


def _pupils(rng, fake, schools, ranges, total, today):
    existing = set(Pupil.objects.values_list("upn", flat=True))
    this_year = academic_year_of(today)
    created = 0
    for i in range(total):
        school = schools[i % len(schools)]
        lowest, highest = ranges[school.pk]
        year_group = rng.randint(lowest, highest)
        cohort_start = datetime.date(this_year - year_group - 5, 9, 1)
        date_of_birth = cohort_start + datetime.timedelta(days=rng.randint(0, 364))
        serial = f"{i // len(schools):03d}"
        body = f"{LA_NUMBER}{school.establishment_number}{(this_year % 100):02d}{serial}"
        upn = upn_rules.calc_check_digit(body) + body
        gender = rng.choice([Gender.FEMALE, Gender.MALE])
        first = fake.first_name_female() if gender == Gender.FEMALE else fake.first_name_male()
        last = fake.last_name()
        roll = rng.random()
        care = (
            CareStatus.LOOKED_AFTER
            if roll < 0.012
            else CareStatus.PREVIOUSLY_LOOKED_AFTER
            if roll < 0.02
            else CareStatus.CHILD_IN_NEED
            if roll < 0.04
            else CareStatus.CHILD_PROTECTION
            if roll < 0.05
            else CareStatus.NONE
        )
        sen_roll = rng.random()
        sen = (
            SenStatus.EHCP
            if sen_roll < 0.04
            else SenStatus.SEN_SUPPORT
            if sen_roll < 0.17
            else SenStatus.NONE
        )
        need = rng.choice(SenPrimaryNeed.values) if sen != SenStatus.NONE else ""
        pupil_premium = rng.random() < 0.25
        preferred = fake.first_name() if rng.random() < 0.05 else ""
        parent = fake.name()
        phone = fake.phone_number()
        social_worker = fake.name()
        if upn in existing:
            continue
        pupil = pupil_services.register_pupil(
            None,
            school=school,
            enrolled_on=datetime.date(this_year - (year_group - lowest), 9, 1),
            care_status=care,
            upn=upn,
            legal_first_name=first,
            legal_last_name=last,
            preferred_first_name=preferred,
            date_of_birth=date_of_birth,
            gender=gender,
            sen_status=sen,
            sen_primary_need=need,
            pupil_premium=pupil_premium,
        )
        pupil_services.add_pupil_contact(
            None,
            pupil,
            relationship=Relationship.PARENT_CARER,
            name=parent,
            has_parental_responsibility=True,
            phone=phone,
        )
        if care in CareStatus.with_social_worker():
            pupil_services.add_pupil_contact(
                None,
                pupil,
                relationship=Relationship.SOCIAL_WORKER,
                name=social_worker,
                organisation_name="Northmoor Children's Services",
                email=f"social.worker{i}@{EMAIL_DOMAIN}",
            )
        created += 1
    return created


def _deadlines(organisations, today):
    """A few open deadlines for the demo users, due around today, so that the worker and beat
    send reminders as soon as the stack starts."""
    from deadlines import services as deadline_services
    from deadlines.calendar import CalendarDataMissing
    from deadlines.models import Deadline

    caseworker = User.objects.get(email="caseworker@northmoor.example")
    if Deadline.objects.filter(owner_user=caseworker).exists():
        return
    senco = User.objects.get(email="senco@northmoor.example")
    officer = User.objects.get(email="virtualschool@northmoor.example")
    senco_school = senco.memberships.order_by("pk").first().organisation.school
    on_roll = Pupil.objects.filter(
        enrolments__school=senco_school, enrolments__end_date__isnull=True
    ).order_by("pk")
    looked_after = Pupil.objects.filter(care_status=CareStatus.LOOKED_AFTER).order_by("pk")[:3]
    if on_roll.count() < 5:  # a demo with too few pupils (the benchmark's) has none of these
        return
    day = datetime.timedelta(days=1)
    plans = [
        # (kind, title, pupil, start, owner user, owner organisation, owner role)
        (
            KindCode.PARENT_CONTACT,
            "Contact {name}'s parent or carer",
            on_roll[0],
            today,
            caseworker,
            None,
            "",
        ),
        (
            KindCode.ACTION,
            "Observe {name} in lessons",
            on_roll[1],
            today - 5 * day,
            caseworker,
            None,
            "",
        ),
        (
            KindCode.ACTION,
            "Send {name}'s school the strategies agreed",
            on_roll[2],
            today - 14 * day,
            caseworker,
            None,
            "",
        ),
        (
            KindCode.GOVERNING_BOARD_REVIEW,
            "Governing board meets about {name}'s exclusion",
            on_roll[3],
            today - 18 * day,
            senco,
            None,
            "",
        ),
        (
            KindCode.ALLOCATION,
            "Allocate the BOSS referral for {name}",
            on_roll[4],
            today - 7 * day,
            None,
            organisations["boss"],
            Role.SERVICE_MANAGER,
        ),
    ] + [
        (KindCode.PEP_MEETING, "PEP meeting for {name}", pupil, today - 70 * day, officer, None, "")
        for pupil in looked_after
    ]
    for kind, title, pupil, start, owner, organisation, role in plans:
        school = pupil.enrolments.filter(end_date__isnull=True).first().school
        try:
            deadline_services.create_deadline(
                None,
                kind=kind,
                subject=pupil,
                pupil=pupil,
                school=school,
                start_date=start,
                title=title.format(name=pupil.display_name),
                owner_user=owner,
                owner_organisation=organisation,
                owner_role=role,
            )
        except CalendarDataMissing:
            continue  # a start before the first year of demo term dates

"""Demo casework: each service's settings, and a BOSS case for the demo caseworker."""

import datetime

from accounts.models import Organisation, User
from cases import services
from cases.models import Case, ServiceSettings

SETTINGS = {
    # code: (maximum weeks, school weeks, minimum contacts, parent contact same day,
    #        confidential, monitors part-time timetables)
    "boss": (22, True, None, False, False, False),
    "bass": (None, True, 10, False, False, False),
    "bacme": (None, True, None, False, False, True),
    "behaviour-officer": (None, True, None, True, True, False),
}


def seed_service_settings() -> None:
    for code, (weeks, school_weeks, contacts, parent, confidential, pt) in SETTINGS.items():
        service = Organisation.objects.filter(code=code).first()
        if service and not ServiceSettings.objects.filter(service=service).exists():
            ServiceSettings.objects.create(
                service=service,
                maximum_involvement_weeks=weeks,
                counts_school_weeks=school_weeks,
                minimum_contacts=contacts,
                contact_parent_on_allocation=parent,
                confidential=confidential,
                monitors_part_time_timetables=pt,
                posts_parent_evaluation=code == "behaviour-officer",  # form B/ex6 (seed 004)
            )


def seed_cases(today: datetime.date) -> None:
    """Allocate the demo's accepted BOSS referral to the caseworker, with two contacts."""
    from referrals.models import Referral, Status

    caseworker = User.objects.get(email="caseworker@northmoor.example")
    if Case.objects.filter(caseworker=caseworker).exists():
        return
    manager = User.objects.get(email="manager@northmoor.example")
    referral = Referral.objects.filter(service__code="boss", status=Status.ACCEPTED).first()
    if referral is None:
        return
    case = services.allocate_referral(manager, referral, caseworker=caseworker)
    for days_ago, kind, who, notes in [
        (0, "school_visit", "SENCO, class teacher", "Observed two lessons; agreed a morning "
         "check-in and a calm space."),
        (0, "phone", "Mother", "Explained BOSS's way of working; mother keen to meet."),
    ]:  # fmt: skip
        services.record_contact(
            caseworker,
            case,
            date=today - datetime.timedelta(days=days_ago),
            kind=kind,
            participants=who,
            with_parent=kind == "phone",
            duration_minutes=45,
            notes=notes,
        )

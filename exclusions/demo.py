"""Demo exclusions: a suspension and a permanent exclusion at the SENCO's schools."""

import datetime

from accounts.models import User
from config.errors import DomainError
from deadlines.calendar import SchoolCalendar
from exclusions import services
from exclusions.models import Exclusion, ReasonCode
from pupils.models import CareStatus, Pupil


def seed_exclusions(today: datetime.date) -> None:
    senco = User.objects.get(email="senco@northmoor.example")
    _letter_settings(senco)
    if Exclusion.objects.filter(created_by=senco).exists():
        return
    schools = [m.organisation.school for m in senco.memberships.order_by("pk")]
    for school, kind, sessions, code in [
        (schools[0], "suspension", 6, "DB"),
        (schools[-1], "permanent", None, "PA"),
    ]:
        pupil = (
            Pupil.objects.filter(enrolments__school=school, enrolments__end_date__isnull=True)
            .exclude(care_status__in=CareStatus.with_social_worker())
            .order_by("-pk")
            .first()
        )
        if pupil is None:
            continue
        calendar = SchoolCalendar(school)
        try:
            start = today if calendar.is_school_day(today) else calendar.add_school_days(today, -1)
            services.notify_exclusion(
                senco,
                pupil=pupil,
                school=school,
                kind=kind,
                reasons=ReasonCode.objects.filter(code=code),
                start_date=start,
                sessions=sessions,
                description="Demo: a serious incident at lunchtime, witnessed by two staff.",
                misses_public_exam=False,
                parents_told_on=start,
                parents_told_how="Phone call, then a letter the same day",
                work_set="Maths and English booklets; reading log",
            )
        except DomainError:
            continue


def _letter_settings(senco) -> None:
    """What the demo authority's letters tell parents about advice and reviews (fictional)."""
    from exclusions.models import LetterSettings

    authority = senco.memberships.order_by("pk").first().organisation.local_authority
    LetterSettings.objects.get_or_create(authority=authority, defaults={
        "sendiass": "Northmoor SENDIASS: 01632 960 100, sendiass@northmoor.example, "
        "northmoor.example/sendiass",
        "behaviour_officer": "Parent Partnership behaviour officer: 01632 960 101, "
        "behaviour.officer@northmoor.example",
        "review_address": "Independent review clerk, Exclusions Team, Northmoor Council, Town "
        "Hall, Northmoor NM1 1AA; exclusions@northmoor.example",
    })  # fmt: skip

"""Reads of cases that pages share."""

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatus, ServiceSettings
from deadlines.calendar import CalendarDataMissing, calendars_for
from deadlines.models import Deadline


def caseload(user, caseworker) -> list[Case]:
    """A caseworker's open cases, oldest first, each with its weeks used against the service's
    maximum involvement (seed 000: BOSS's 22 weeks) and its contacts against the minimum, the
    next deadline and the last contact."""
    next_deadline = (
        Deadline.objects.live()
        .filter(subject_type__model="case", subject_id=OuterRef("pk"))
        .order_by("due_date")
    )
    cases = list(
        Case.objects.visible_to(user)
        .filter(caseworker=caseworker, status=CaseStatus.OPEN)
        .select_related("pupil", "school__organisation", "service")
        .annotate(
            last_contact=Max("contacts__date"),
            next_due=Subquery(next_deadline.values("due_date")[:1]),
            next_title=Subquery(next_deadline.values("title")[:1]),
        )
        .order_by("opened_on", "pk")
    )
    settings_by_service = {
        s.service_id: s
        for s in ServiceSettings.objects.filter(service__in={c.service_id for c in cases})
    }
    calendars = calendars_for({c.school_id: c.school for c in cases if c.school_id}.values())
    today = timezone.localdate()
    for case in cases:
        service_settings = settings_by_service.get(case.service_id) or ServiceSettings()
        case.settings = service_settings
        try:
            case.weeks_used = services.weeks_used(
                case,
                today,
                calendars.get(case.school_id),
                counts_school_weeks=service_settings.counts_school_weeks,
            )
        except CalendarDataMissing:
            case.weeks_used = None
    return cases

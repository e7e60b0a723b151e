"""Reads of cases that pages share: a caseworker's caseload, a service's team caseloads, and
the caseworkers a case can be given to."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Role, User
from cases import services
from cases.models import Case, CaseStatus, Contact, ServiceSettings
from deadlines.calendar import CalendarDataMissing, calendars_for
from deadlines.models import Deadline


def _live_deadlines_of_the_case():
    # The content type by its id (cached by Django), not by joining content types per case.
    return Deadline.objects.live().filter(
        subject_type=ContentType.objects.get_for_model(Case), subject_id=OuterRef("pk")
    )


def _with_weeks_used(cases: list[Case]) -> list[Case]:
    """Each case with its service's settings and its weeks used against the maximum
    involvement (seed 000: BOSS's 22 weeks), counted on its school's calendar (``None``
    where the calendar is missing), and whether it is past the maximum."""
    settings_by_service = {
        s.service_id: s
        for s in ServiceSettings.objects.filter(service__in={c.service_id for c in cases})
    }
    calendars = calendars_for({c.school_id: c.school for c in cases if c.school_id}.values())
    today = timezone.localdate()
    for case in cases:
        case.settings = settings_by_service.get(case.service_id) or ServiceSettings()
        try:
            case.weeks_used = services.weeks_used(
                case,
                today,
                calendars.get(case.school_id),
                counts_school_weeks=case.settings.counts_school_weeks,
            )
        except CalendarDataMissing:
            case.weeks_used = None
        case.maximum = case.settings.maximum_involvement_weeks
        case.past_maximum = bool(
            case.maximum and case.weeks_used and case.weeks_used >= case.maximum
        )
    return cases


CASELOAD_FIELDS = (
    "pupil", "school", "service", "caseworker", "status", "opened_on", "closed_on",
    "contact_count", "pupil__legal_first_name", "pupil__legal_last_name",
    "pupil__preferred_first_name", "pupil__preferred_last_name", "school__name",
    "school__organisation__local_authority",
)  # fmt: skip


def caseload(user, caseworker) -> list[Case]:
    """A caseworker's open cases, oldest first, each with its weeks used against the service's
    maximum involvement and its contacts against the minimum, the next deadline and the last
    contact."""
    next_deadline = _live_deadlines_of_the_case().order_by("due_date")
    # The last contact read per case from the (case, date) index, not by joining every
    # contact of every case and grouping them.
    last_contact = Contact.objects.filter(case=OuterRef("pk")).order_by("-date")
    return _with_weeks_used(
        list(
            Case.objects.visible_to(user)
            .filter(caseworker=caseworker, status=CaseStatus.OPEN)
            .select_related("pupil", "school__organisation")
            # Only what the list shows and counts with: thirty cases on every visit.
            .only(*CASELOAD_FIELDS)
            .annotate(
                last_contact=Subquery(last_contact.values("date")[:1]),
                next_due=Subquery(next_deadline.values("due_date")[:1]),
                next_title=Subquery(next_deadline.values("title")[:1]),
            )
            .order_by("opened_on", "pk")
        )
    )


def team_caseloads(user, service_ids) -> list[Case]:
    """The open cases of the services a manager runs, by caseworker, each with its weeks used,
    whether a deadline is overdue and the next one due."""
    live = _live_deadlines_of_the_case()
    return _with_weeks_used(
        list(
            Case.objects.visible_to(user)
            .filter(service__in=service_ids, status=CaseStatus.OPEN)
            .select_related("pupil", "school__organisation", "service", "caseworker")
            .annotate(
                has_overdue=Exists(live.filter(due_date__lt=timezone.localdate())),
                next_due=Subquery(live.order_by("due_date").values("due_date")[:1]),
            )
            .order_by("caseworker__full_name", "opened_on", "pk")
        )
    )


def members_of(service, *roles):
    """The service's current members (in one of ``roles``, if given) whose accounts are
    active, by name: whom a case's action may be given to."""
    membership = {"memberships__organisation": service, "memberships__ended_at__isnull": True}
    if roles:
        membership["memberships__role__in"] = roles
    return User.objects.filter(is_active=True, **membership).distinct().order_by("full_name")


def caseworkers_of(service):
    """The service's current caseworkers, by name, each with how many of its cases they have
    open (``open_cases``): whom a manager may allocate a case to."""
    open_cases = Case.objects.filter(
        caseworker=OuterRef("pk"), service=service, status=CaseStatus.OPEN
    )
    return members_of(service, Role.CASEWORKER).annotate(
        open_cases=Coalesce(
            Subquery(
                open_cases.order_by().values("caseworker").annotate(n=Count("pk")).values("n")
            ),
            0,
        )
    )

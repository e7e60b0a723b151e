"""What a caseworker and a service manager find about cases on their home page."""

from django.urls import reverse

from accounts.models import Role
from accounts.policy import managed_services
from audit.reads import note_read
from cases.models import Case, CaseStatus
from cases.selectors import caseload
from cases.tables import caseload_rows


def home_page(request, membership) -> dict:
    if membership.role == Role.CASEWORKER:
        cases = caseload(request.user, request.user)
        note_read(request, [case.pupil_id for case in cases], "home page")
        return {"cases": cases, "caseload_rows": caseload_rows(cases)}
    if membership.role == Role.SERVICE_MANAGER:
        open_cases = (
            Case.objects.visible_to(request.user)
            .filter(service__in=managed_services(request.user), status=CaseStatus.OPEN)
            .count()
        )
        return {"team_cases": {"count": open_cases, "url": reverse("cases:team")}}
    return {}

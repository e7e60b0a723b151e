"""The LA manager's home page: the quarter's headline figures for every service together,
beside the same quarter a year before (seed 004: the quarterly report compares each quarter
with the year before)."""

from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from reporting.figures import ServiceReport
from reporting.quarters import Quarter

HEADLINES = ["received", "accepted", "allocated", "open_at_end", "closed"]


def home_page(request, membership) -> dict:
    if membership.role != Role.LA_MANAGER:
        return {}
    from reporting.views import reportable_services

    services = reportable_services(request.user)
    if not services:
        return {}
    quarter = Quarter.of(timezone.localdate())
    report = ServiceReport(request.user, [s.pk for s in services], quarter)
    figures = {f.key: f for f in report.figures_with_last_year()}
    return {
        "headline": {
            "quarter": quarter,
            "figures": [figures[key] for key in HEADLINES if key in figures],
            "url": f"{reverse('reporting:services')}?service=all&quarter={quarter.key}",
        }
    }

"""Quarterly dashboards, their drill-downs, exports and a JSON view. Every number is counted
from ``visible_to`` querysets, so the drill-down lists exactly the records behind a figure."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role
from accounts.policy import RoleMayNotAct, active_memberships, organisations_with_role
from audit.services import record_access
from config.exports import respond
from reporting.charts import bar_chart
from reporting.exclusion_report import ExclusionReport
from reporting.exports import table_rows
from reporting.figures import ServiceReport, timetable_figures
from reporting.quarters import Quarter

# A list of more than this many pupils' records needs a reason (issue: data protection).
LARGE_LIST = 100


def _quarter(request) -> Quarter:
    return Quarter.parse(request.GET.get("quarter", ""), timezone.localdate())


def reportable_services(user) -> list[Organisation]:
    """A service manager reports on their services; an LA manager on every service of the
    authority but the arm's-length ones (seed 004), whose records no one else reads."""
    memberships = active_memberships(user)
    from cases.models import ServiceSettings

    managed = organisations_with_role(memberships, Role.SERVICE_MANAGER)
    authorities = organisations_with_role(memberships, Role.LA_MANAGER)
    arms_length = ServiceSettings.objects.filter(confidential=True).values("service")
    return list(
        Organisation.objects.filter(kind=OrganisationKind.SERVICE).filter(pk__in=managed)
        | Organisation.objects.filter(
            kind=OrganisationKind.SERVICE, local_authority__in=authorities
        ).exclude(pk__in=arms_length)
    )


def _service_report(request) -> tuple[ServiceReport, list, Organisation]:
    services = reportable_services(request.user)
    if not services:
        raise RoleMayNotAct
    chosen = request.GET.get("service", "")
    if not chosen and organisations_with_role(active_memberships(request.user), Role.LA_MANAGER):
        chosen = "all"  # the LA manager lands on every service together
    if chosen == "all" and len(services) > 1:
        every = Organisation(pk=None, name="All services")
        return (
            ServiceReport(request.user, [s.pk for s in services], _quarter(request)),
            services,
            every,
        )
    service = next((s for s in services if str(s.pk) == chosen), services[0])
    return ServiceReport(request.user, [service.pk], _quarter(request)), services, service


def _quarter_choices(current: Quarter, count: int = 8):
    quarter, choices = Quarter.of(timezone.localdate()), []
    for _ in range(count):
        choices.append((quarter.key, quarter.label, quarter == current))
        quarter = quarter.previous()
    return choices


def service_dashboard(request):
    report, services, service = _service_report(request)
    figures = report.figures_with_last_year()
    trend = report.trend()
    return render(
        request,
        "reporting/services.html",
        {
            "report": report,
            "service": service,
            "services": services,
            "figures": figures + timetable_figures(request.user, report.quarter),
            "breakdowns": report.breakdowns(),
            "trend": trend,
            "trend_chart": bar_chart(
                trend,
                title="Referrals received in each of the last four quarters",
                chart_id="trend",
            ),
            "quarters": _quarter_choices(report.quarter),
            "query": f"service={service.pk or 'all'}&quarter={report.quarter.key}",
        },
    )


def service_pdf(request):
    from django.http import HttpResponse

    from reporting.pdf import quarterly_pdf

    report, _, service = _service_report(request)
    figures = report.figures_with_last_year()
    content = quarterly_pdf(
        title=f"{service.name}: {report.quarter.label}",
        figures=figures,
        trend=report.trend(),
        breakdowns=report.breakdowns(),
    )
    record_access(request.user, request, kind="export", page="quarterly report", records=0)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="report-{report.quarter.key}.pdf"'
    return response


def _exclusion_report(request) -> ExclusionReport:
    memberships = active_memberships(request.user)
    if not organisations_with_role(memberships, Role.EXCLUSIONS_OFFICER, Role.LA_MANAGER):
        raise RoleMayNotAct
    return ExclusionReport(request.user, _quarter(request))


def exclusion_figures(request) -> dict:
    """The exclusions dashboard's figures and tables as data, for the API."""
    report = _exclusion_report(request)
    return {
        "quarter": {"start": report.quarter.start, "end": report.quarter.end},
        "figures": {figure.key: figure.value for figure in report.figures()},
        "breakdowns": {b.key: dict(b.rows) for b in report.breakdowns()},
    }


def exclusion_dashboard(request):
    report = _exclusion_report(request)
    breakdowns = report.breakdowns()
    return render(
        request,
        "reporting/exclusions.html",
        {
            "report": report,
            "figures": report.figures(),
            "breakdowns": breakdowns,
            "reason_chart": bar_chart(
                breakdowns[1].rows,
                title="Suspensions and exclusions by reason",
                chart_id="reasons",
            ),
            "quarters": _quarter_choices(report.quarter),
            "query": f"quarter={report.quarter.key}",
        },
    )


def drill(request, report_name, key):
    """The records behind one figure."""
    report = (
        _service_report(request)[0] if report_name == "services" else _exclusion_report(request)
    )
    try:
        if request.GET.get("by"):
            records = report.cell_records(request.GET["by"], request.GET.get("value", ""))
        else:
            records = report.records(key)
    except (KeyError, ValueError):
        raise Http404 from None
    count = records.count()
    reason = request.GET.get("reason", "").strip()
    if count > LARGE_LIST and not reason:
        return render(
            request,
            "reporting/drill_reason.html",
            {"count": count, "query": request.GET.urlencode(), "asked": "reason" in request.GET},
            status=400 if "reason" in request.GET else 200,
        )
    record_access(
        request.user, request, kind="export", page=f"records behind {report_name} {key}",
        records=count, reason=reason,
    )  # fmt: skip
    records = records.select_related("pupil", "school")[:500]
    return render(
        request,
        "reporting/drill.html",
        {"records": records, "key": key, "report": report, "report_name": report_name,
         "title": _figure_title(report, key, request.GET.get("by"), request.GET.get("value"))},
    )  # fmt: skip


def _figure_title(report, key, by=None, value=None) -> str:
    """The figure's own words (not its key), or the breakdown's row, for the page's heading."""
    if by:
        breakdown = next((b for b in report.breakdowns() if b.key == by), None)
        label = dict(breakdown.rows).get(value, value) if breakdown else value
        return f"{breakdown.title if breakdown else by}: {label}"
    return next((f.label for f in report.figures() if key in {f.drill, f.key}), key)


def export(request, report_name, table, fmt):
    if fmt not in {"csv", "xlsx"}:
        raise Http404
    report = (
        _service_report(request)[0] if report_name == "services" else _exclusion_report(request)
    )
    breakdown = next((b for b in report.breakdowns() if b.key == table), None)
    if breakdown is None:
        raise Http404
    anonymised = request.GET.get("anonymised") == "1"
    rows = table_rows(breakdown, anonymised=anonymised, threshold=settings.SUPPRESSION_THRESHOLD)
    suffix = "-anonymised" if anonymised else ""
    record_access(
        request.user, request, kind="export", page=f"{report_name} table {table}{suffix}",
        records=breakdown.total,
    )  # fmt: skip
    return respond(rows, filename=f"{table}-{report.quarter.key}{suffix}", fmt=fmt)


def service_figures(request) -> dict:
    """The dashboard's figures and tables as data, for the JSON page and the API."""
    report, _, service = _service_report(request)
    return {
        "service": service.name,
        "quarter": {"start": report.quarter.start, "end": report.quarter.end},
        "figures": {figure.key: figure.value for figure in report.figures()},
        "breakdowns": {b.key: dict(b.rows) for b in report.breakdowns()},
    }


def service_json(request):
    """For the LA's own BI tools: the same figures and tables as the dashboard."""
    return JsonResponse(service_figures(request))

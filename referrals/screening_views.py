"""The gateway's screening queue and screening page, and the service's awaiting-allocation list."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from accounts.policy import RoleMayNotAct, managed_services, screens_for
from audit.reads import note_read
from config.choices import kept_form_html
from config.errors import DomainError
from config.pages import answers_to_confirm, posted
from config.pagination import Paginator, query_without_page
from config.tables import Cell, record_urls, short_date, table_rows, tag
from deadlines.calendar import CalendarDataMissing, calendars_for
from deadlines.codes import KindCode
from deadlines.selectors import live_of_kind
from referrals import services
from referrals.access import can_screen
from referrals.forms import Decision, QueueFilterForm, ScreeningForm
from referrals.models import SCREENING_STATUSES, Referral, Status
from referrals.selectors import (
    accepted_not_allocated,
    checklist_items,
    find_by_reference,
    queue_flag_filter,
    screened_by,
)
from referrals.views import _referral

PAGE_SIZE = 50


def queue(request):
    """Referrals sent to the user's gateway (or, for a type with no gateway, to the service
    they manage), oldest first."""
    organisations = screens_for(request.user)
    if not organisations:
        raise RoleMayNotAct
    form = QueueFilterForm(request.user, data=request.GET or None)
    referrals = Referral.objects.visible_to(request.user).filter(screened_by(organisations))
    status = ""
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"]
        for field in ("service", "referral_type", "school"):
            if data[field]:
                referrals = referrals.filter(**{field: data[field]})
        if data["flag"]:
            referrals = referrals.filter(queue_flag_filter(data["flag"], request.user))
        if data["q"]:
            referrals = find_by_reference(referrals, data["q"])
            status = status or "all"
    if status == "all":
        referrals = referrals.exclude(status=Status.DRAFT)
    elif status:
        referrals = referrals.filter(status=status)
    else:
        referrals = referrals.filter(status__in=SCREENING_STATUSES)
    # Only what the queue shows: a referral's answers and the form's questions stay unread.
    referrals = (
        referrals.select_related("pupil", "school__organisation", "referral_type")
        .only(
            "reference", "status", "incomplete", "submitted_at", "pupil_id", "school_id",
            "referral_type_id", "pupil__preferred_first_name", "pupil__legal_first_name",
            "pupil__preferred_last_name", "pupil__legal_last_name", "pupil__care_status",
            "school__name", "school__organisation__local_authority_id", "referral_type__name",
            "crisis",
            "answer", "screener_id",
        )
        .order_by("submitted_at", "pk")
    )  # fmt: skip
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    _waiting_in_school_days(page.object_list)
    note_read(request, [r.pupil_id for r in page.object_list], "screening queue")
    return render(
        request,
        "referrals/queue.html",
        {
            "page": page,
            "queue_rows": queue_rows(page.object_list, request.user),
            "form": form,
            "form_html": kept_form_html(form, form.choices_key),
            "query": query_without_page(request),
        },
    )


def queue_rows(referrals, user) -> SafeString:
    """The queue's rows, written in Python (:mod:`config.tables`): when each referral came,
    how many school days it has waited, its reference, the pupil, the school, the form, its
    status and its flags (crisis, looked after, an answer received, assigned to you)."""

    url_of_screening = record_urls("referrals:screen")

    def cells(referral):
        tags = [tag(referral.get_status_display(), referral.status_tag_colour)]
        if referral.incomplete:
            tags.append(tag("Incomplete", "orange"))
        if referral.crisis:
            tags.append(tag("Crisis", "red"))
        if referral.pupil.is_looked_after:
            tags.append(tag("Looked after", "purple"))
        if referral.status == Status.SUBMITTED and referral.answer:
            tags.append(tag("Answer received", "green"))
        if referral.screener_id and referral.screener_id == user.pk:
            tags.append(tag("Assigned to you", "grey"))
        return [
            Cell(short_date(timezone.localtime(referral.submitted_at))
                 if referral.submitted_at else ""),
            Cell("Not known: no term dates" if referral.waited is None else referral.waited,
                 numeric=True),
            Cell(referral.reference, href=url_of_screening(referral.pk)),
            Cell(referral.pupil.display_name),
            Cell(referral.school.name),
            Cell(referral.referral_type.name),
            Cell(mark_safe(" ".join(tags))),  # each tag escaped
        ]  # fmt: skip

    return table_rows(cells(referral) for referral in referrals)


def _waiting_in_school_days(referrals) -> None:
    """How long each referral has waited, counted in the school days of its school's calendar
    (seed 002: the gateway's targets are school days, not calendar days)."""
    today = timezone.localdate()
    calendars = calendars_for({r.school_id: r.school for r in referrals if r.school_id}.values())
    for referral in referrals:
        referral.waited = _school_days(calendars.get(referral.school_id), referral, today)


@require_POST
def take(request, pk):
    """A screener takes the referral from the shared queue ("assigned to me")."""
    referral = _referral(request, pk)
    if not can_screen(request.user, referral):
        raise RoleMayNotAct
    try:
        services.take_for_screening(request.user, referral)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{referral.reference} is assigned to you.")
    return redirect("referrals:screen", pk=referral.pk)


def screen(request, pk):
    referral = _referral(request, pk)
    if not can_screen(request.user, referral):
        raise RoleMayNotAct
    note_read(request, [referral.pupil_id], "screening a referral")
    items = checklist_items(referral)
    initial = {}
    for key, value in referral.checklist.items():
        initial[f"check_{key}"] = value is True
        initial[f"why_{key}"] = value if isinstance(value, str) else ""
    initial["service"] = referral.service_id
    psp_checks = referral.psp.completeness() if referral.psp else {}
    if psp_checks and "check_psp" not in initial:
        initial["check_psp"] = all(psp_checks.values())
    form = ScreeningForm(items, referral, data=posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["decision"] == Decision.DECLINE and request.POST.get("confirm") != "yes":
            # Declining cannot be undone: say so, and what the school will read, first.
            answers = answers_to_confirm(request)
            return render(
                request, "referrals/confirm_decline.html",
                {"referral": referral, "reason": data["reason"], "posted": answers},
            )  # fmt: skip
        try:
            _decide(request.user, referral, data, form.checklist())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, f"{referral.reference}: {referral.get_status_display().lower()}."
            )
            return redirect("referrals:queue")
    return render(
        request,
        "referrals/screen.html",
        {
            "referral": referral,
            "form": form,
            "attachments": referral.attachments.all(),
            "can_decide": referral.status == Status.SUBMITTED,
            "psp_checks": referral.psp.completeness_in_words() if referral.psp else [],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _decide(actor, referral, data, checklist):
    decision = data["decision"]
    if decision == Decision.ACCEPT:
        services.accept_referral(actor, referral, service=data["service"], checklist=checklist)
    elif decision == Decision.MORE_INFORMATION:
        services.request_more_information(
            actor, referral, question=data["question"], checklist=checklist
        )
    elif decision == Decision.DECLINE:
        services.decline_referral(actor, referral, reason=data["reason"], checklist=checklist)
    else:
        services.redirect_referral(
            actor,
            referral,
            redirection=data["redirection"],
            service=data["redirect_service"],
            note=data["redirect_note"],
            checklist=checklist,
        )


def awaiting_allocation(request):
    """Referrals accepted into the manager's service, with how long each has waited against
    its allocation target."""
    managed = managed_services(request.user)
    if not managed:
        raise RoleMayNotAct
    referrals = list(
        accepted_not_allocated(request.user, managed)
        .select_related("pupil", "school__organisation", "referral_type", "service")
        .order_by("submitted_at", "pk")[:200]
    )
    deadlines = {
        d.subject_id: d
        for d in live_of_kind(Referral, KindCode.ALLOCATION, [r.pk for r in referrals])
    }
    today = timezone.localdate()
    calendars = calendars_for({r.school_id: r.school for r in referrals if r.school_id}.values())
    for referral in referrals:
        referral.allocation_deadline = deadlines.get(referral.pk)
        referral.waited = _school_days(calendars.get(referral.school_id), referral, today)
        referral.target_days = referral.referral_type.allocation_target_weeks * 5
    return render(request, "referrals/awaiting.html", {"referrals": referrals})


def _school_days(calendar, referral, today):
    start = timezone.localdate(referral.submitted_at)
    if calendar is None:
        return (today - start).days
    try:
        return calendar.school_days_between(start, today)
    except CalendarDataMissing:
        return None

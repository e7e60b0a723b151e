from django.contrib import messages
from django.db.models import Count, Max, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.models import Role, User
from accounts.policy import active_memberships, organisations_with_role
from cases import services
from cases.forms import AllocateForm, ContactForm
from cases.models import Case, CaseStatus, ServiceSettings
from config.errors import DomainError
from deadlines.calendar import CalendarDataMissing, calendars_for
from deadlines.models import Deadline
from referrals.models import Referral, Status


def allocate(request, referral_pk):
    managed = organisations_with_role(active_memberships(request.user), Role.SERVICE_MANAGER)
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).filter(
            service__in=managed, status=Status.ACCEPTED
        ),
        pk=referral_pk,
    )
    caseworkers = User.objects.filter(
        memberships__organisation=referral.service,
        memberships__role=Role.CASEWORKER,
        memberships__ended_at__isnull=True,
        is_active=True,
    ).distinct()
    form = AllocateForm(caseworkers, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.allocate_referral(
                request.user, referral, caseworker=form.cleaned_data["caseworker"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, f"{referral.reference} is allocated to {case.caseworker.full_name}."
            )
            return redirect("referrals:awaiting")
    return render(
        request,
        "cases/allocate.html",
        {"referral": referral, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def my_cases(request):
    """The caseworker's caseload: weeks used against the maximum, contacts against the
    minimum, the next deadline and the last contact."""
    next_deadline = (
        Deadline.objects.live()
        .filter(subject_type__model="case", subject_id=OuterRef("pk"))
        .order_by("due_date")
    )
    cases = list(
        Case.objects.visible_to(request.user)
        .filter(caseworker=request.user, status=CaseStatus.OPEN)
        .select_related("pupil", "school__organisation", "service")
        .annotate(
            contact_count=Count("contacts"),
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
    return render(request, "cases/my_cases.html", {"cases": cases, "today": today})


def case_detail(request, pk):
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "pupil", "school", "service", "caseworker", "referral__referral_type"
        ),
        pk=pk,
    )
    is_service = case.service_id in {m.organisation_id for m in active_memberships(request.user)}
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "is_service": is_service,
            "contacts": case.contacts.select_related("recorded_by") if is_service else [],
            "activities": case.referral.activities.select_related("actor"),
        },
    )


def record_contact(request, pk):
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    if case.service_id not in {m.organisation_id for m in active_memberships(request.user)}:
        raise Http404
    form = ContactForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_contact(request.user, case, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "The contact has been recorded.")
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/record_contact.html",
        {"case": case, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )

"""Term dates, kept by LA administrators and service managers in the product itself."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.policy import RoleMayNotAct, can_edit_calendar
from config.errors import DomainError
from config.pages import form_page, posted
from deadlines import services
from deadlines.calendar import bank_holidays
from deadlines.forms import InsetDayForm, TermDatesForm
from deadlines.models import Deadline, InsetDay, Term, TermName
from pupils.models import School
from pupils.years import academic_year_label, academic_year_of


class Calendar:
    """Whose calendar a page is about: the authority's, or one school's own."""

    def __init__(self, request):
        if not can_edit_calendar(request.user):
            raise RoleMayNotAct
        self.authority = request.membership.organisation.authority
        school_id = request.GET.get("school") or request.POST.get("school")
        self.school = None
        if school_id:
            self.school = get_object_or_404(
                School.objects.visible_to(request.user).filter(
                    organisation__local_authority=self.authority
                ),
                pk=school_id if str(school_id).isdigit() else 0,
            )
        self.schools = School.objects.visible_to(request.user).filter(
            organisation__local_authority=self.authority
        )

    @property
    def name(self) -> str:
        return self.school.name if self.school else self.authority.name

    def query(self) -> str:
        return f"?school={self.school.pk}" if self.school else ""

    def terms(self, year: int):
        return Term.objects.filter(authority=self.authority, school=self.school, academic_year=year)

    def inset_days(self, year: int):
        start, end = datetime.date(year, 8, 1), datetime.date(year + 1, 8, 31)
        return InsetDay.objects.filter(
            authority=self.authority, school=self.school, date__range=(start, end)
        )


def _year(request) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    return int(value) if value.isdigit() else academic_year_of(timezone.localdate())


def provisional_by_year(authority) -> list[tuple[str, int]]:
    """(school year, how many live deadlines) counted on the typical calendar because the
    authority's (or a school's) term dates for that year are not all entered."""
    from django.db.models import Count

    due_dates = (
        Deadline.objects.live()
        .filter(provisional=True, school__organisation__local_authority=authority)
        .values("due_date")
        .annotate(n=Count("id"))
    )
    years: dict[int, int] = {}
    for row in due_dates:
        year = academic_year_of(row["due_date"])
        years[year] = years.get(year, 0) + row["n"]
    return [(academic_year_label(year), n) for year, n in sorted(years.items())]


def term_dates(request):
    calendar = Calendar(request)
    year = _year(request)
    this_year = academic_year_of(timezone.localdate())
    terms = {term.name: term for term in calendar.terms(year)}
    uses_authority_dates = calendar.school is not None and not terms
    if uses_authority_dates:
        terms = {
            t.name: t
            for t in Term.objects.filter(
                authority=calendar.authority, school__isnull=True, academic_year=year
            )
        }
    start, end = datetime.date(year, 8, 1), datetime.date(year + 1, 8, 31)
    holidays = sorted((d, n) for d, n in bank_holidays(year).items() if start <= d <= end)
    return render(
        request,
        "deadlines/term_dates.html",
        {
            "calendar": calendar,
            "year": year,
            "year_label": academic_year_label(year),
            "years": [(y, academic_year_label(y)) for y in range(this_year - 1, this_year + 3)],
            "rows": [(name, label, terms.get(name)) for name, label in TermName.choices],
            "uses_authority_dates": uses_authority_dates,
            "inset_days": calendar.inset_days(year),
            "inset_form": InsetDayForm(),
            "bank_holidays": holidays,
            "provisional": provisional_by_year(calendar.authority),
        },
    )


def edit_term(request, year: int, name: str):
    calendar = Calendar(request)
    if name not in TermName.values:
        raise Http404
    term = calendar.terms(year).filter(name=name).first()
    initial = {"start_date": term.start_date, "end_date": term.end_date} if term else {}
    form = TermDatesForm(data=posted(request), initial=initial)
    back = reverse("deadlines:term-dates") + (calendar.query() or "?") + f"&year={year}"
    return form_page(
        request,
        form,
        template="deadlines/edit_term.html",
        context={
            "calendar": calendar,
            "term_label": TermName(name).label,
            "year_label": academic_year_label(year),
            "back": back,
        },
        save=lambda data: services.set_term_dates(
            request.user,
            authority=calendar.authority,
            school=calendar.school,
            academic_year=year,
            name=name,
            **data,
        ),
        done=back,
        message=f"{TermName(name).label} {academic_year_label(year)} saved.",
    )


@require_POST
def use_own_dates(request):
    calendar = Calendar(request)
    year = _year(request)
    if calendar.school is None:
        raise Http404
    try:
        services.copy_calendar_to_school(
            request.user, school=calendar.school, authority=calendar.authority, academic_year=year
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{calendar.school.name} now has its own dates for {academic_year_label(year)}.",
        )
    return redirect(reverse("deadlines:term-dates") + calendar.query() + f"&year={year}")


@require_POST
def add_inset_day(request):
    calendar = Calendar(request)
    year = _year(request)
    form = InsetDayForm(data=request.POST)
    if form.is_valid():
        try:
            services.add_inset_day(
                request.user,
                authority=calendar.authority,
                school=calendar.school,
                date=form.cleaned_data["date"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"INSET day {form.cleaned_data['date']:%-d %B %Y} added.")
            return redirect(
                reverse("deadlines:term-dates") + (calendar.query() or "?") + f"&year={year}"
            )
    return render(
        request,
        "deadlines/add_inset_day.html",
        {"calendar": calendar, "form": form, "year": year},
        status=400,
    )


@require_POST
def remove_inset_day(request, pk: int):
    calendar = Calendar(request)
    inset_day = get_object_or_404(
        InsetDay.objects.filter(authority=calendar.authority, school=calendar.school), pk=pk
    )
    year = academic_year_of(inset_day.date)
    services.remove_inset_day(request.user, inset_day)
    messages.success(request, f"INSET day {inset_day.date:%-d %B %Y} removed.")
    return redirect(reverse("deadlines:term-dates") + (calendar.query() or "?") + f"&year={year}")

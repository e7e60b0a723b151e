from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Role
from accounts.policy import (
    RoleMayNotAct,
    active_memberships,
    administered_authority,
    authority_ids,
    organisations_with_role,
)
from audit.reads import REASON_OVER, note_read
from config.choices import cached_choices
from config.errors import DomainError
from config.govuk import QuickSelect
from config.pages import form_page, posted
from config.pagination import keyset_page, query_without_page
from config.tables import (
    PROVISIONAL,
    SHORT_MONTHS,
    Cell,
    one_place,
    record_urls,
    short_date,
    table_rows,
    tag,
)
from deadlines.codes import KindCode
from deadlines.models import Deadline
from deadlines.selectors import deadlines_of
from exclusions import forms, services
from exclusions.access import notifiable_pupils
from exclusions.models import Exclusion, Kind, ReasonCode
from exclusions.notice import BY_SLUG, FIELD_QUESTION, Notice
from pupils.models import CareStatus, Phase, School, SenStatus


def _page(request, form, *, title, save, exclusion=None, back, message):
    return form_page(
        request,
        form,
        template="exclusions/form.html",
        context={"title": title, "back": back, "exclusion": exclusion},
        save=save,
        done=lambda result: (exclusion or result).get_absolute_url(),
        message=message,
    )


def _notice_subject(request, pupil_pk):
    """The pupil and their school: the school's own staff notify; the authority's exclusions
    officer may record one a school phones in, for the school the pupil is on roll at."""
    membership = request.membership
    if membership is None or membership.role not in {Role.SCHOOL_STAFF, Role.EXCLUSIONS_OFFICER}:
        raise RoleMayNotAct
    on_roll = notifiable_pupils(request.user)
    if membership.role == Role.SCHOOL_STAFF:
        school = membership.organisation.school
        pupil = get_object_or_404(on_roll.filter(enrolments__school=school), pk=pupil_pk)
    else:
        pupil = get_object_or_404(on_roll, pk=pupil_pk)
        school = get_object_or_404(
            School.objects.select_related("organisation"),
            enrolments__pupil=pupil, enrolments__end_date__isnull=True,
            organisation__local_authority=membership.organisation,
        )  # fmt: skip
    return pupil, school, membership.role == Role.EXCLUSIONS_OFFICER


def record_for_school(request):
    """The exclusions officer records a suspension or exclusion a school phones in: the pupil
    is found by UPN among those on roll at the authority's schools."""
    membership = request.membership
    if membership is None or membership.role != Role.EXCLUSIONS_OFFICER:
        raise RoleMayNotAct
    upn = request.GET.get("upn", "").replace(" ", "").upper()
    error = ""
    if "upn" in request.GET:
        pupil = notifiable_pupils(request.user).filter(upn=upn).first() if upn else None
        if pupil is not None:
            return redirect(reverse("exclusions:notify", args=[pupil.pk]) + "?start=new")
        error = (
            "Enter the pupil's UPN, like A801200005001"
            if not upn
            else "No pupil with that UPN is on roll at a school of the authority"
        )
    return render(
        request,
        "exclusions/record_for_school.html",
        {"upn": request.GET.get("upn", ""), "error": error},
        status=400 if error else 200,
    )


def notify(request, pupil_pk):
    """Start (or go on with) the notice: the first question not yet answered, or Check your
    answers once every question that applies has one."""
    pupil, _, _ = _notice_subject(request, pupil_pk)
    notice = Notice(request, pupil)
    if request.GET.get("start") == "new":
        notice.clear()
    waiting = notice.unanswered()
    if waiting:
        return redirect("exclusions:notice-question", pupil.pk, waiting[0].slug)
    return redirect("exclusions:notice-check", pupil.pk)


def notice_question(request, pupil_pk, slug):
    pupil, school, on_behalf = _notice_subject(request, pupil_pk)
    question = BY_SLUG.get(slug)
    notice = Notice(request, pupil)
    if question is None or question not in notice.applicable():
        raise Http404
    form = notice.form(question, data=posted(request))
    if request.method == "POST" and form.is_valid():
        notice.save_page(slug, request.POST)
        following = notice.next_after(slug)
        if request.GET.get("return_to_check") or following is None:
            return redirect("exclusions:notice-check", pupil.pk)
        return redirect("exclusions:notice-question", pupil.pk, following.slug)
    before = notice.before(slug)
    back = (
        reverse("exclusions:notice-question", args=[pupil.pk, before.slug])
        if before
        else reverse("pupils:detail", args=[pupil.pk])
    )
    return render(
        request,
        "exclusions/notice_question.html",
        {"form": form, "pupil": pupil, "school": school, "on_behalf": on_behalf, "back": back},
        status=400 if form.is_bound and form.errors else 200,
    )


def notice_check(request, pupil_pk):
    pupil, school, on_behalf = _notice_subject(request, pupil_pk)
    notice = Notice(request, pupil)
    waiting = notice.unanswered()
    problem = None
    if request.method == "POST" and not waiting:
        data = notice.answers()
        reasons = data.pop("reasons")
        try:
            exclusion = services.notify_exclusion(
                request.user, pupil=pupil, school=school, reasons=reasons, **data
            )
        except DomainError as error:
            problem = (str(error.message), FIELD_QUESTION.get(error.field or "", "kind"))
        else:
            notice.clear()
            messages.success(
                request,
                f"Recorded for {school.name}; the school and the statutory steps are below."
                if on_behalf
                else "Notified. The local authority has been told; the statutory steps are below.",
            )
            return redirect(exclusion.get_absolute_url())
    return render(
        request,
        "exclusions/notice_check.html",
        {
            "pupil": pupil, "school": school, "on_behalf": on_behalf,
            "rows": notice.summary(), "waiting": waiting, "problem": problem,
        },
        status=400 if problem or (request.method == "POST" and waiting) else 200,
    )  # fmt: skip


def _exclusion(request, pk) -> Exclusion:
    return get_object_or_404(
        Exclusion.objects.visible_to(request.user).select_related("pupil", "school"), pk=pk
    )


def detail(request, pk):
    exclusion = _exclusion(request, pk)
    steps = list(deadlines_of(exclusion).select_related("kind"))
    codes = {step.kind.code for step in steps}
    is_school = any(
        m.role == Role.SCHOOL_STAFF and m.organisation_id == exclusion.school.organisation_id
        for m in active_memberships(request.user)
    )
    note_read(request, [exclusion.pupil_id], "suspension or exclusion")
    return render(
        request,
        "exclusions/detail.html",
        {
            "exclusion": exclusion,
            "steps": steps,
            "activities": exclusion.activities.select_related("actor"),
            "reasons": exclusion.reasons.all(),
            "outcomes": exclusion.outcomes.all(),
            "support": exclusion.support.all(),
            "is_school": is_school,
            # Only the steps the law gives this exclusion are offered: a suspension of five
            # days or fewer in a term has no board meeting and no sixth-day provision.
            "offers_board": bool(
                codes & {KindCode.BOARD_CONSIDER, KindCode.BOARD_CONSIDER_REQUESTED}
            ),
            "offers_provision": KindCode.SIXTH_DAY in codes,
            "step_codes": codes,
            "flags": exclusion.activities.filter(kind="flag"),
            "letters": _letters(exclusion) if is_school else [],
        },
    )


def _letters(exclusion):
    """The letters the exclusion calls for, each with the one written (if any)."""
    from exclusions import letters
    from exclusions.models import Situation

    written = {letter.situation: letter for letter in exclusion.letters.all()}
    return [(Situation(s), written.get(s)) for s in letters.situations_for(exclusion)]


REGISTER_PAGE_SIZE = 50


def register(request):
    """The authority's register of every suspension and exclusion of its schools, with the
    flags the data already has (EHCP, looked after, repeat suspensions, days used of the 45),
    the school days left to each next step, and an export through the access log."""
    if not organisations_with_role(active_memberships(request.user), Role.EXCLUSIONS_OFFICER):
        raise RoleMayNotAct
    exclusions = (
        Exclusion.objects.visible_to(request.user)
        .select_related("pupil", "school__organisation")
        .only(
            "kind", "status", "start_date", "sessions", "pupil_id", "school_id",
            "pupil__preferred_first_name", "pupil__legal_first_name",
            "pupil__preferred_last_name", "pupil__legal_last_name", "pupil__sen_status",
            "pupil__care_status", "pupil__upn", "school__name", "school__organisation_id",
            "school__organisation__local_authority_id",
        )
        .prefetch_related("reasons")
        .order_by("-start_date", "-pk")
    )  # fmt: skip
    filters = {key: request.GET.get(key, "").strip() for key in REGISTER_FILTERS}
    dates, date_errors = _register_dates(filters)
    exclusions = _filtered(exclusions, filters, dates)
    fmt = request.GET.get("export", "")
    export_error = ""
    if fmt in {"csv", "xlsx"} and not date_errors:
        response, export_error = _export_register(request, exclusions, fmt)
        if response is not None:
            return response
    page = keyset_page(exclusions, request, date_field="start_date", size=REGISTER_PAGE_SIZE)
    rows = page.rows
    _annotate_register(rows)
    note_read(request, [row.pupil_id for row in rows], "exclusions register")
    errors = {**date_errors, **({"reason": export_error} if export_error else {})}
    return render(
        request,
        "exclusions/register.html",
        {
            "rows": rows,
            "register_rows": register_rows(rows),
            "page": page,
            "query": query_without_page(request),
            "filters": filters,
            "errors": errors,
            "school_select": _school_select(request.user, filters["school"]),
            "reasons": ReasonCode.objects.all(),
            "phases": Phase.choices,
            "sen_choices": SenStatus.choices,
            "care_choices": CareStatus.choices,
            "kinds": Kind.choices,
            "reason_over": REASON_OVER,
            "date_filters": [("from", "From"), ("to", "To")],
        },
        status=400 if errors else 200,
    )


def _school_select(user, chosen: str):
    """The school filter, written in Python by the project's QuickSelect: four hundred schools
    through a template loop cost more than the rest of the page."""
    # The user's authorities alone decide the schools they see (pupils.access.school_filter).
    authorities = tuple(sorted(authority_ids(active_memberships(user))))
    schools = cached_choices(
        School.objects.visible_to(user).order_by("name"), key=("register schools", *authorities)
    )
    widget = QuickSelect(attrs={"class": "govuk-select", "id": "school"},
                         choices=[("", "Any"), *schools])  # fmt: skip
    return widget.render("school", chosen)


REGISTER_FILTERS = [
    "school",
    "reason",
    "phase",
    "sen",
    "care",
    "kind",
    "from",
    "to",
    "reason_given",
]


def _register_dates(filters) -> tuple[dict, dict]:
    """The From and To dates, written as YYYY-MM-DD (a date picker's value) or 2/3/2026."""
    dates, errors = {}, {}
    for key, words in (("from", "From"), ("to", "To")):
        value = filters[key]
        if not value:
            continue
        parsed = _parse_date(value)
        if parsed is None:
            errors[key] = f"{words} must be a real date, like 2/3/2026"
        else:
            dates[key] = parsed
    if "from" in dates and "to" in dates and dates["to"] < dates["from"]:
        errors["to"] = "To must be the same as or after From"
    return dates, errors


def _parse_date(value: str):
    import datetime

    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _filtered(exclusions, filters, dates):
    if filters["school"].isdigit():
        exclusions = exclusions.filter(school_id=filters["school"])
    if filters["reason"]:
        exclusions = exclusions.filter(reasons__code=filters["reason"])
    if filters["phase"]:
        exclusions = exclusions.filter(school__phase=filters["phase"])
    if filters["sen"]:
        exclusions = exclusions.filter(pupil__sen_status=filters["sen"])
    if filters["care"]:
        exclusions = exclusions.filter(pupil__care_status=filters["care"])
    if filters["kind"]:
        exclusions = exclusions.filter(kind=filters["kind"])
    if "from" in dates:
        exclusions = exclusions.filter(start_date__gte=dates["from"])
    if "to" in dates:
        exclusions = exclusions.filter(start_date__lte=dates["to"])
    return exclusions


def _annotate_register(rows) -> None:
    """Each row's open steps with the school days left, and its pupil's flags: EHCP, looked
    after, repeat suspensions (seed 002) and days of suspension this school year."""
    import datetime

    from django.db.models import Count, Sum
    from django.utils import timezone

    from deadlines.calendar import CalendarDataMissing, calendars_for
    from exclusions.models import ExclusionRules
    from pupils.years import academic_year_of

    today = timezone.localdate()
    open_steps = {}
    for deadline in (
        Deadline.objects.live()
        .filter(
            subject_type=ContentType.objects.get_for_model(Exclusion),
            subject_id__in=[e.pk for e in rows],
        )
        .select_related("kind")
    ):
        open_steps.setdefault(deadline.subject_id, []).append(deadline)
    year = academic_year_of(today)
    so_far = {
        (row["pupil_id"], row["school_id"]): row
        for row in Exclusion.objects.counted()
        .filter(
            kind=Kind.SUSPENSION, pupil_id__in={e.pupil_id for e in rows},
            start_date__range=(datetime.date(year, 8, 1), datetime.date(year + 1, 7, 31)),
        )
        .values("pupil_id", "school_id")
        .annotate(sessions=Sum("sessions"), n=Count("id"))
    }  # fmt: skip
    rules_row = ExclusionRules.current()
    calendars = calendars_for({e.school_id: e.school for e in rows}.values())
    for row in rows:
        row.open_steps = sorted(open_steps.get(row.pk, []), key=lambda d: d.due_date)
        for step in row.open_steps:
            try:
                step.days_left = calendars[row.school_id].school_days_between(today, step.due_date)
            except CalendarDataMissing:
                step.days_left = None
        this_year = so_far.get((row.pupil_id, row.school_id), {})
        row.days_this_year = (this_year.get("sessions") or 0) / 2
        row.suspensions_this_year = this_year.get("n", 0)
        row.repeat = row.suspensions_this_year >= rules_row.repeat_suspensions_in_year
        row.cap = rules_row.max_suspension_days_per_year


def register_rows(rows) -> SafeString:
    """The register's rows, written in Python (:mod:`config.tables`): fifty rows of seven
    cells through the template cost as much as the page's queries. Each row: the first day,
    the pupil, the school, the kind (with its days), the reasons, the flags and the open
    statutory steps with the school days left to each."""
    url_of_exclusion = record_urls("exclusions:detail")
    return table_rows(_register_cells(row, url_of_exclusion(row.pk)) for row in rows)


def _register_cells(e, url: str) -> list[Cell]:
    kind = e.get_kind_display()
    if e.sessions:
        kind = f"{kind} ({one_place(e.days)} days)"
    reasons = "".join(
        f'<abbr title="{escape(r.label)}">{escape(r.code)}</abbr> ' for r in e.reasons.all()
    )
    flags = []
    if e.pupil.sen_status == SenStatus.EHCP:
        flags.append(f"{tag('EHCP', 'purple')} ")
    if e.pupil.care_status == CareStatus.LOOKED_AFTER:
        flags.append(f"{tag('Looked after', 'pink')} ")
    if e.repeat:
        flags.append(f"{tag(f'Repeat suspensions ({e.suspensions_this_year} this year)', 'red')} ")
    if e.days_this_year:
        flags.append(
            f'<span class="govuk-body-s">{one_place(e.days_this_year)} of {escape(e.cap)} days '
            "this school year</span>"
        )
    steps = []
    for d in e.open_steps:
        step = f"{escape(d.kind.name)}: {d.due_date.day} {SHORT_MONTHS[d.due_date.month - 1]}"
        if d.provisional:
            step += f" {PROVISIONAL}"
        if d.days_left is not None:
            if d.days_left < 0:
                left = "overdue"
            elif d.days_left == 0:
                left = "today"
            else:
                left = f"{d.days_left} school day{'' if d.days_left == 1 else 's'} left"
            step += f" ({left})"
        steps.append(f"{step}<br>")
    return [
        Cell(short_date(e.start_date)),
        Cell(e.pupil.display_name, href=url),
        Cell(e.school.name),
        Cell(kind),
        Cell(mark_safe(reasons)),  # escaped above, as are the flags and steps
        Cell(mark_safe("".join(flags))),
        Cell(mark_safe("".join(steps)) if steps else "No open steps"),
    ]


def _export_register(request, exclusions, fmt):
    """Every matching row as CSV or XLSX. The export is logged for each pupil in it; more than
    100 pupils needs a reason, as every export does."""
    from config.exports import respond

    rows = list(exclusions[:5000])
    pupils = {e.pupil_id for e in rows}
    reason = request.GET.get("reason_given", "").strip()
    if len(pupils) > REASON_OVER and not reason:
        return None, (
            f"Give a reason to export the records of more than {REASON_OVER} pupils "
            f"({len(pupils)} match)"
        )
    _annotate_register(rows)
    table = [["First day", "UPN", "Pupil", "School", "Kind", "School days", "Reasons", "EHCP",
              "Looked after", "Suspensions this school year", "Days of suspension this school year",
              "Next step", "Next step due"]]  # fmt: skip
    for e in rows:
        step = e.open_steps[0] if e.open_steps else None
        table.append([
            e.start_date.isoformat(), e.pupil.upn, e.pupil.display_name, e.school.name,
            e.get_kind_display(), e.days if e.sessions else "",
            "; ".join(r.label for r in e.reasons.all()),
            "Yes" if e.pupil.sen_status == SenStatus.EHCP else "No",
            "Yes" if e.pupil.care_status == CareStatus.LOOKED_AFTER else "No",
            e.suspensions_this_year, e.days_this_year,
            step.kind.name if step else "",
            (step.due_date.isoformat() + (" (provisional)" if step.provisional else ""))
            if step else "",
        ])  # fmt: skip
    note_read(request, pupils, "exclusions register export", kind="export", reason=reason[:300])
    return respond(table, filename="exclusions-register", fmt=fmt), ""


def _action(form_class, title, message, call, *, needs_school=False):
    """A page that records one step on an exclusion through one service function."""

    def view(request, pk):
        exclusion = _exclusion(request, pk)
        form = form_class(data=posted(request))
        return _page(
            request,
            form,
            title=title,
            save=lambda data: call(request.user, exclusion, data),
            exclusion=exclusion,
            back=exclusion.get_absolute_url(),
            message=message,
        )

    return view


withdraw = _action(
    forms.ReasonForm, "Withdraw", "Withdrawn; its deadlines are cancelled.",
    lambda actor, e, d: services.withdraw_exclusion(actor, e, reason=d["reason"]),
)  # fmt: skip
parents_ask = _action(
    forms.DateForm, "The parents ask the board to consider", "Recorded.",
    lambda actor, e, d: services.parents_ask_board(actor, e, asked_on=d["day"]),
)  # fmt: skip
board = _action(
    forms.BoardForm, "The governing board's decision", "The board's decision is recorded.",
    lambda actor, e, d: services.record_board_decision(actor, e, **d),
)  # fmt: skip
review_application = _action(
    forms.ReviewApplicationForm, "Application for an independent review", "Recorded.",
    lambda actor, e, d: services.apply_for_review(actor, e, **d),
)  # fmt: skip
panel = _action(
    forms.PanelForm, "The independent review panel's decision", "Recorded.",
    lambda actor, e, d: services.record_panel_decision(actor, e, **d),
)  # fmt: skip
reconsider = _action(
    forms.ReconsiderForm, "The board's reconsideration", "Recorded.",
    lambda actor, e, d: services.record_reconsideration(actor, e, **d),
)  # fmt: skip
provision = _action(
    forms.ProvisionForm, "Provision from the sixth day", "Recorded.",
    lambda actor, e, d: services.record_sixth_day_provision(actor, e, **d),
)  # fmt: skip
off_roll = _action(
    forms.DateForm, "Remove from roll", "The pupil is off roll.",
    lambda actor, e, d: services.remove_from_roll(actor, e, on=d["day"]),
)  # fmt: skip
outcome = _action(
    forms.OutcomeForm, "Record an outcome", "Recorded.",
    lambda actor, e, d: services.record_outcome(actor, e, **d),
)  # fmt: skip
support = _action(
    forms.SupportForm, "Support for the parent (B/ex3, B/ex4)", "Recorded.",
    lambda actor, e, d: services.record_parent_support(actor, e, **d),
)  # fmt: skip


def reintegrate(request, pk):
    exclusion = _exclusion(request, pk)
    schools = School.objects.visible_to(request.user).exclude(pk=exclusion.school_id)
    return _page(
        request,
        forms.ReintegrateForm(schools, data=posted(request)),
        title="Reintegration at a new school",
        save=lambda data: services.reintegrate(request.user, exclusion, **data),
        exclusion=exclusion,
        back=exclusion.get_absolute_url(),
        message="Enrolled at the new school; BOSS support has been opened automatically.",
    )


work_set = _action(
    forms.WorkSetForm, "Work for the first five school days", "Recorded.",
    lambda actor, e, d: services.record_work_set(actor, e, **d),
)  # fmt: skip


def _letter_of(request, pk, situation):
    """The exclusion (through ``visible_to``) and the letter it calls for, if this is one."""
    from exclusions import letters
    from exclusions.models import Letter

    exclusion = _exclusion(request, pk)
    if situation not in letters.situations_for(exclusion):
        raise Http404
    return exclusion, Letter.objects.filter(exclusion=exclusion, situation=situation).first()


def letter(request, pk, situation):
    """A letter to the parents: what it will say, item by item with its source; what the
    record still lacks, with where to add it; the parts a person writes; the letter itself;
    once nothing is missing, Word and PDF; and when and how it was sent (through GOV.UK Notify
    where the authority has it), which the statutory time limits count from."""
    from exclusions import letters
    from exclusions.models import LetterTemplate, Situation
    from exclusions.services.letters import notify_is_set_up

    exclusion, kept = _letter_of(request, pk, situation)
    parts = kept.parts if kept else {}
    template = kept.template if kept else LetterTemplate.objects.in_force(
        situation, timezone.localdate(), exclusion.school.organisation.local_authority_id
    )  # fmt: skip
    facts, missing = letters.facts_of(exclusion, situation, parts)
    note_read(request, [exclusion.pupil_id], "letter to parents")
    which = request.POST.get("form") if request.method == "POST" else None
    page = reverse("exclusions:letter", args=[exclusion.pk, situation])
    context = {
        "exclusion": exclusion, "situation": Situation(situation), "letter": kept,
        "template": template, "missing": missing, "notify": notify_is_set_up(),
        "items": [(item, [v for v in item.shows(facts) if v])
                  for item in letters.REQUIRED[situation]],
        "paragraphs": letters.paragraphs(template, facts) if template else [],
        "sent_form": forms.LetterSentForm(
            data=request.POST if which == "sent" else None, prefix="sent"
        ),
        "notify_form": forms.LetterNotifyForm(
            data=request.POST if which == "notify" else None, prefix="notify"
        ),
    }  # fmt: skip
    if which in {"sent", "notify"} and kept is not None:
        form = context[f"{which}_form"]
        if form.is_valid():
            try:
                if which == "sent":
                    services.record_letter_sent(request.user, kept, **form.cleaned_data)
                else:
                    services.send_letter(request.user, kept, how=form.cleaned_data["how"])
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "The letter is recorded as sent")
                return redirect(page)
        parts_form = forms.LetterForm(initial=parts, situation=situation)
        return render(request, "exclusions/letter.html",
                      {**context, "form": form, "parts_form": parts_form}, status=400)  # fmt: skip
    form = forms.LetterForm(data=posted(request), initial=parts, situation=situation)
    return form_page(
        request,
        form,
        template="exclusions/letter.html",
        context={**context, "parts_form": form},
        save=lambda data: services.write_letter(
            request.user, exclusion, situation=situation, parts=data
        ),
        done=page,
        message="The letter is saved",
    )


def letter_download(request, pk, situation, fmt):
    """The letter as Word or PDF: only once it is saved and nothing it needs is missing."""
    from exclusions import letter_documents, letters

    if fmt not in {"docx", "pdf"}:
        raise Http404
    exclusion, kept = _letter_of(request, pk, situation)
    page = reverse("exclusions:letter", args=[exclusion.pk, situation])
    if kept is None:
        messages.error(request, "Save the letter first")
        return redirect(page)
    facts, missing = letters.facts_of(exclusion, situation, kept.parts)
    if missing:
        messages.error(request, "The letter cannot be produced yet: " + "; ".join(
            words for words, _ in missing))  # fmt: skip
        return redirect(page)
    note_read(request, [exclusion.pupil_id], "letter to parents", kind="download")
    return letter_documents.respond(
        fmt, school=exclusion.school.name,
        title=f"{kept.get_situation_display()} - {exclusion.reference}",
        paragraphs=letters.paragraphs(kept.template, facts),
    )  # fmt: skip


def letter_settings(request):
    """The LA administrator keeps the advice contacts and the review address every letter
    of the authority's schools gives parents."""
    from exclusions.models import LetterSettings

    authority = administered_authority(request.user)
    row = LetterSettings.objects.filter(authority=authority).first()
    initial = {name: getattr(row, name) for name in ("sendiass", "behaviour_officer",
                                                     "review_address")} if row else {}  # fmt: skip
    return form_page(
        request,
        forms.LetterSettingsForm(data=posted(request), initial=initial),
        template="exclusions/form.html",
        context={
            "title": "What letters to parents say about advice and reviews",
            "back": reverse("accounts:home"),
            "exclusion": None,
        },
        save=lambda data: services.keep_letter_settings(request.user, authority, **data),
        done=reverse("exclusions:letter-settings"),
        message="Saved: every letter of the authority's schools now says this",
    )


def letter_templates(request):
    """The authority's model letters: for each situation, the version in force and every
    version, with the guidance it follows and the day it took effect."""
    from exclusions.models import LetterTemplate, Situation

    authority = administered_authority(request.user)
    versions = LetterTemplate.objects.filter(
        Q(authority__isnull=True) | Q(authority=authority)
    ).order_by("situation", "-effective_from", "-version")
    today = timezone.localdate()
    rows = []
    for situation in Situation:
        mine = [v for v in versions if v.situation == situation]
        rows.append((situation, LetterTemplate.objects.in_force(situation, today, authority.pk),
                     mine))  # fmt: skip
    return render(request, "exclusions/letter_templates.html", {"rows": rows})


def new_letter_version(request, situation):
    """An LA administrator writes a new version of a model letter, starting from the one in
    force."""
    from exclusions.models import LetterTemplate, Situation

    if situation not in Situation.values:
        raise Http404
    authority = administered_authority(request.user)
    current = LetterTemplate.objects.in_force(situation, timezone.localdate(), authority.pk)
    initial = {"body": current.body, "guidance": current.guidance} if current else {}
    return form_page(
        request,
        forms.LetterVersionForm(data=posted(request), initial=initial),
        template="exclusions/form.html",
        context={
            "title": f"A new version: {Situation(situation).label}",
            "back": reverse("exclusions:letter-templates"),
            "exclusion": None,
        },
        save=lambda data: services.add_letter_version(
            request.user, authority, situation=situation, **data
        ),
        done=reverse("exclusions:letter-templates"),
        message=lambda v: f"Version {v.version} takes effect on {v.effective_from:%-d %B %Y}",
    )

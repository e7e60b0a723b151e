"""The school's referral journey: find the pupil, choose the kind, answer a few pages, check,
submit; and the referral's own page, which every party reads through ``visible_to``."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.middleware import SESSION_KEY
from accounts.models import Role
from accounts.policy import RoleMayNotAct, active_memberships
from audit.reads import note_read
from config.errors import DomainError
from config.pages import form_page, posted
from pupils import services as pupil_services
from pupils.models import Pupil
from pupils.search import search_pupils, trace_at_school
from referrals import services
from referrals.access import can_screen
from referrals.answers import SECTION_BY_SLUG, missing_answers, sections_for, tasks_for
from referrals.forms import (
    AnswerForm,
    ChooseTypeForm,
    DocumentForm,
    FindPupilForm,
    NewPupilForm,
    WithdrawForm,
    section_form,
)
from referrals.models import EDITABLE_STATUSES, Attachment, Referral, Status
from referrals.selectors import referral_types_for


def _school(request):
    """The school the user is working for, or 404 for anyone but school staff."""
    membership = request.membership
    if membership is None or membership.role != Role.SCHOOL_STAFF:
        raise RoleMayNotAct
    return membership.organisation.school


def _referral(request, pk) -> Referral:
    return get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "referral_type__service", "referral_type__gateway", "pupil", "school", "service",
            "gateway", "redirected_to",
        ),
        pk=pk,
    )  # fmt: skip


def referral_list(request):
    referrals = Referral.objects.visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        referrals = referrals.filter(status=status)
    referrals = referrals.select_related("pupil", "referral_type", "school", "service").order_by(
        "-created_at"
    )[:200]
    note_read(request, [r.pupil_id for r in referrals], "referrals list")
    is_school = request.membership is not None and request.membership.role == Role.SCHOOL_STAFF
    return render(
        request,
        "referrals/list.html",
        {
            "referrals": referrals,
            "is_school": is_school,
            "status": Status(status).label if status in Status.values else "",
        },
    )


def start(request):
    school = _school(request)
    form = FindPupilForm(data=request.GET or None)
    pupils = None
    if form.is_bound and form.is_valid():
        on_roll = Pupil.objects.visible_to(request.user).filter(
            enrolments__school=school, enrolments__end_date__isnull=True
        )
        pupils = list(search_pupils(on_roll, text=form.cleaned_data["q"])[:25])
    return render(
        request,
        "referrals/start.html",
        {"form": form, "pupils": pupils, "school": school},
        status=400 if form.is_bound and form.errors else 200,
    )


def choose_type(request, pupil_pk):
    school = _school(request)
    pupil = get_object_or_404(
        Pupil.objects.visible_to(request.user).filter(
            enrolments__school=school, enrolments__end_date__isnull=True
        ),
        pk=pupil_pk,
    )
    form = ChooseTypeForm(school, data=posted(request))
    existing = None
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.start_referral(
                request.user,
                pupil=pupil,
                referral_type=form.cleaned_data["referral_type"],
                school=school,
            )
        except services.OpenReferralExists as error:
            form.add_domain_error(error)
            existing = error.existing
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return redirect("referrals:tasks", pk=referral.pk)
    return render(
        request,
        "referrals/choose_type.html",
        {"form": form, "pupil": pupil, "existing": existing},
        status=400 if form.is_bound and form.errors else 200,
    )


def new_pupil(request):
    """A pupil not yet on the school's roll here: added, then referred."""
    school = _school(request)
    return form_page(
        request,
        NewPupilForm(data=posted(request)),
        template="referrals/new_pupil.html",
        context={"school": school},
        save=lambda data: pupil_services.register_pupil(request.user, school=school, **data),
        done=lambda pupil: reverse("referrals:choose-type", kwargs={"pupil_pk": pupil.pk}),
        message=lambda pupil: f"{pupil} has been added to {school}.",
    )


def tasks(request, pk):
    """The referral form as a GOV.UK task list: each section with its status, then checking
    and sending once nothing that stops it is missing."""
    referral = _referral(request, pk)
    if referral.status not in EDITABLE_STATUSES or referral.school_id != _school(request).pk:
        raise Http404
    task_list = tasks_for(referral)
    blocking = [
        m
        for m in missing_answers(referral)
        if m.hard or not referral.referral_type.allows_incomplete
    ]
    return render(
        request,
        "referrals/tasks.html",
        {
            "referral": referral,
            "tasks": task_list,
            "done": sum(task.status == "completed" for task in task_list),
            "can_check": not blocking,
        },
    )


def section(request, pk, slug):
    referral = _referral(request, pk)
    if referral.status not in EDITABLE_STATUSES or referral.school_id != _school(request).pk:
        raise Http404
    sections = sections_for(referral)
    current = SECTION_BY_SLUG.get(slug)
    if current not in sections:
        raise Http404
    position = sections.index(current)
    following = sections[position + 1] if position + 1 < len(sections) else None
    if current.slug == "documents":
        return _documents(request, referral, following)
    form = section_form(current.fields)(data=posted(request), instance=referral)
    if request.method == "POST" and form.is_valid():
        answers = {field: form.cleaned_data[field] for field in current.fields}
        try:
            services.save_answers(request.user, referral, **answers)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if "save_and_return" in request.POST:
                messages.success(request, "Your answers have been saved as a draft.")
                return redirect("referrals:list")
            if "return_to_check" in request.GET:
                return redirect("referrals:check", pk=referral.pk)
            return redirect("referrals:tasks", pk=referral.pk)
    return render(
        request,
        "referrals/section.html",
        {"referral": referral, "section": current, "sections": sections, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _documents(request, referral, following):
    form = DocumentForm(data=posted(request), files=request.FILES or None)
    plans = referral.pupil.psps.visible_to(request.user).filter(school=referral.school)
    if request.method == "POST" and "continue" in request.POST:
        return redirect("referrals:check", pk=referral.pk)
    if request.method == "POST" and "psp" in request.POST:
        chosen = request.POST["psp"]
        psp = get_object_or_404(plans, pk=int(chosen) if chosen.isdigit() else 0)
        try:
            services.link_psp(request.user, referral, psp)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "The Pastoral Support Plan is linked to the referral.")
        return redirect("referrals:section", pk=referral.pk, slug="documents")
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_document(
                request.user,
                referral,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, f"{form.cleaned_data['file'].name} has been attached.")
            return redirect("referrals:section", pk=referral.pk, slug="documents")
    return render(
        request,
        "referrals/documents.html",
        {
            "referral": referral,
            "form": form,
            "sections": sections_for(referral),
            "plans": plans,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def remove_document(request, pk, attachment_pk):
    referral = _referral(request, pk)
    if referral.school_id != _school(request).pk:
        raise Http404
    attachment = get_object_or_404(referral.attachments, pk=attachment_pk)
    try:
        services.remove_document(request.user, attachment)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("referrals:section", pk=referral.pk, slug="documents")


def document(request, pk, attachment_pk):
    """Documents are served only to people who may see the referral."""
    referral = _referral(request, pk)
    attachment = get_object_or_404(Attachment.objects.filter(referral=referral), pk=attachment_pk)
    from audit.services import record_access

    record_access(
        request.user, request, kind="download", page=f"referral document {referral.label}",
        pupil=referral.pupil,
    )  # fmt: skip
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def _summary(referral):
    rows = []
    for sec in sections_for(referral):
        if sec.slug == "documents":
            continue
        form = section_form(sec.fields)(instance=referral)
        # "Why are the steps compressed?" is only a question when they are.
        shown = [f for f in sec.fields if f != "crisis_reason" or referral.crisis]
        rows.append(
            {
                "section": sec,
                "answers": [(form.fields[f].label, _display(referral, f)) for f in shown],
            }
        )
    return rows


def _display(referral, field):
    value = getattr(referral, field)
    if field == "consent_method":
        return referral.get_consent_method_display()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return value


def check_answers(request, pk):
    referral = _referral(request, pk)
    if referral.school_id != _school(request).pk:
        raise Http404
    if referral.status not in EDITABLE_STATUSES:
        return _already_sent(request, referral)
    problems = missing_answers(referral)
    error = None
    if request.method == "POST":
        try:
            services.submit_referral(request.user, referral)
        except DomainError as exc:
            if referral.status not in EDITABLE_STATUSES:  # sent meanwhile, from another tab
                return _already_sent(request, referral, exc.message)
            error = exc.message
        else:
            return redirect("referrals:submitted", pk=referral.pk)
    return render(
        request,
        "referrals/check.html",
        {
            "referral": referral,
            "summary": _summary(referral),
            "problems": problems,
            "blocking": [
                p for p in problems if p.hard or not referral.referral_type.allows_incomplete
            ],
            "error": error,
            "show_errors": request.method == "POST",
        },
        status=400 if error else 200,
    )


def _already_sent(request, referral, message: str = ""):
    """Check your answers for a referral that has gone: say so, and show where it stands."""
    messages.info(request, message or f"{referral.label} has already been sent.")
    return redirect("referrals:detail", pk=referral.pk)


def submitted(request, pk):
    referral = _referral(request, pk)
    if referral.status == Status.DRAFT:
        raise Http404
    return render(request, "referrals/submitted.html", {"referral": referral})


def detail(request, pk):
    referral = _referral(request, pk)
    is_school = (
        request.membership is not None
        and request.membership.role == Role.SCHOOL_STAFF
        and referral.school_id == request.membership.organisation.school.pk
    )
    note_read(request, [referral.pupil_id], "referral")
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "summary": _summary(referral),
            "events": referral.activities.select_related("actor"),
            "attachments": referral.attachments.all(),
            "is_school": is_school,
            "can_screen": _can_screen(request.user, referral),
            "cases": _cases_of(request.user, referral),
            "answer_form": AnswerForm(),
            "linked_psp": _linked_psp(request.user, referral),
            "suggested_types": list(_suggested_types(referral, referral.school))
            if is_school
            else [],
        },
    )


def from_a_parent(request):
    """Form B/ex1 (seed 004): the behaviour officer takes a parent or carer's referral."""
    from referrals.forms import ParentReferralForm
    from referrals.selectors import parent_referral_types_for

    if not parent_referral_types_for(request.user).exists():
        raise RoleMayNotAct

    def take(data):
        pupils = list(
            trace_at_school(
                data["school"], first_name=data["first_name"], last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
            )[:2]
        )  # fmt: skip
        if len(pupils) != 1:
            raise DomainError(
                f"No child at {data['school'].name} has that name and date of birth: check "
                "them with the parent or carer",
                field="last_name",
            )
        answers = {key: data[key] for key in PARENT_ANSWERS}
        answers.update(
            consent_given_by=f"{data['referrer_name']} ({data['referrer_role']})",
            consent_given_on=timezone.localdate(),
        )
        referral = services.take_parent_referral(
            request.user, referral_type=data["referral_type"], pupil=pupils[0],
            school=data["school"], answers=answers,
        )  # fmt: skip
        note_read(request, [referral.pupil_id], "referral")
        return referral

    return form_page(
        request,
        ParentReferralForm(request.user, data=posted(request)),
        template="referrals/from_a_parent.html",
        context={},
        save=take,
        done=lambda referral: reverse("referrals:detail", kwargs={"pk": referral.pk}),
        message=lambda referral: f"{referral.reference} is sent to {referral.service.name}.",
    )


PARENT_ANSWERS = ("referrer_name", "referrer_role", "referrer_phone", "referrer_email", "reason",
                  "exclusion_history", "consent_method")  # fmt: skip


@require_POST
def start_suggested(request, pk):
    """The school starts the referral the gateway suggested instead, its answers copied."""
    redirected = _referral(request, pk)
    school = _school(request)
    if redirected.school_id != school.pk:
        raise Http404
    chosen = request.POST.get("referral_type", "")
    referral_type = (
        _suggested_types(redirected, school).filter(pk=int(chosen)).first()
        if chosen.isdigit()
        else None
    )
    if referral_type is None:
        messages.error(request, "Choose the kind of referral to start.")
        return redirect("referrals:detail", pk=redirected.pk)
    try:
        referral = services.start_suggested_referral(
            request.user, redirected, referral_type=referral_type
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("referrals:detail", pk=redirected.pk)
    messages.success(
        request,
        f"Your answers from {redirected.reference} are copied into this referral to "
        f"{referral_type.service.name}. Check each section, then send it.",
    )
    return redirect("referrals:tasks", pk=referral.pk)


def _suggested_types(referral, school):
    if referral.status != Status.REDIRECTED or referral.redirected_to_id is None:
        return referral_types_for(school).none()
    return referral_types_for(school).filter(service=referral.redirected_to_id)


def _linked_psp(user, referral):
    """The Pastoral Support Plan the referral came with, if the user may read it (seed 000:
    the PRT screens it)."""
    if referral.psp_id is None:
        return None
    plans = Referral._meta.get_field("psp").related_model.objects  # plans sit above referrals
    return plans.visible_to(user).filter(pk=referral.psp_id).first()


def _cases_of(user, referral):
    return referral.cases.visible_to(user).select_related("caseworker")


def _can_screen(user, referral) -> bool:
    return referral.status == Status.SUBMITTED and can_screen(user, referral)


def answer(request, pk):
    referral = _referral(request, pk)
    _work_as_the_referrals_school(request, referral)
    return form_page(
        request,
        AnswerForm(data=posted(request)),
        template="referrals/answer.html",
        context={"referral": referral},
        save=lambda data: services.answer_more_information(
            request.user, referral, answer=data["answer"]
        ),
        done=reverse("referrals:detail", kwargs={"pk": referral.pk}),
        message=f"Your answer has been sent with {referral.reference}.",
    )


def _work_as_the_referrals_school(request, referral) -> None:
    """A question from the gateway is answered as the school that made the referral: a user
    signed in for another of their schools is switched to it, and told so."""
    school_organisation = referral.school.organisation_id
    current = request.membership
    if (
        current
        and current.role == Role.SCHOOL_STAFF
        and (current.organisation_id == school_organisation)
    ):
        return
    for membership in active_memberships(request.user):
        if membership.role == Role.SCHOOL_STAFF and membership.organisation_id == (
            school_organisation
        ):
            request.session[SESSION_KEY] = membership.pk
            request.membership = membership
            messages.info(request, f"You are now working for {referral.school.name}.")
            return


def withdraw(request, pk):
    referral = _referral(request, pk)
    return form_page(
        request,
        WithdrawForm(data=posted(request)),
        template="referrals/withdraw.html",
        context={"referral": referral},
        save=lambda data: services.withdraw_referral(request.user, referral, reason=data["reason"]),
        done=reverse("referrals:list"),
        message=f"{referral.label} has been withdrawn.",
    )

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, render

from accounts.models import Role
from accounts.policy import RoleMayNotAct, active_memberships, organisations_with_role
from audit.reads import note_read
from config.pages import form_page, posted
from config.pagination import keyset_page, query_without_page
from deadlines.models import Deadline
from deadlines.selectors import deadlines_of
from exclusions import forms, services
from exclusions.models import Exclusion, Kind, ReasonCode
from pupils.models import CareStatus, Phase, Pupil, School, SenStatus


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


def notify(request, pupil_pk):
    membership = request.membership
    if membership is None or membership.role != Role.SCHOOL_STAFF:
        raise RoleMayNotAct
    school = membership.organisation.school
    pupil = get_object_or_404(
        Pupil.objects.visible_to(request.user).filter(
            enrolments__school=school, enrolments__end_date__isnull=True
        ),
        pk=pupil_pk,
    )

    def save(data):
        reasons = data.pop("reasons")
        return services.notify_exclusion(
            request.user, pupil=pupil, school=school, reasons=reasons, **data
        )

    return _page(
        request,
        forms.NotifyForm(data=posted(request)),
        title=f"Notify a suspension or exclusion: {pupil.display_name}",
        save=save,
        back=f"/pupils/{pupil.pk}/",
        message="Notified. The local authority has been told; the statutory steps are below.",
    )


def _exclusion(request, pk) -> Exclusion:
    return get_object_or_404(
        Exclusion.objects.visible_to(request.user).select_related("pupil", "school"), pk=pk
    )


def detail(request, pk):
    exclusion = _exclusion(request, pk)
    steps = deadlines_of(exclusion).select_related("kind")
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
            "flags": exclusion.activities.filter(kind="flag"),
        },
    )


REGISTER_PAGE_SIZE = 50


def register(request):
    """The authority's register of every suspension and exclusion of its schools."""
    if not organisations_with_role(active_memberships(request.user), Role.EXCLUSIONS_OFFICER):
        raise RoleMayNotAct
    exclusions = (
        Exclusion.objects.visible_to(request.user)
        .select_related("pupil", "school")
        .only(
            "kind", "status", "start_date", "sessions", "pupil_id", "school_id",
            "pupil__preferred_first_name", "pupil__legal_first_name",
            "pupil__preferred_last_name", "pupil__legal_last_name", "pupil__sen_status",
            "pupil__care_status", "school__name",
        )
        .prefetch_related("reasons")
        .order_by("-start_date", "-pk")
    )  # fmt: skip
    filters = {
        "school": request.GET.get("school", ""),
        "reason": request.GET.get("reason", ""),
        "phase": request.GET.get("phase", ""),
        "sen": request.GET.get("sen", ""),
        "care": request.GET.get("care", ""),
        "kind": request.GET.get("kind", ""),
    }
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
    page = keyset_page(exclusions, request, date_field="start_date", size=REGISTER_PAGE_SIZE)
    rows = page.rows
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
    for row in rows:
        row.open_steps = sorted(open_steps.get(row.pk, []), key=lambda d: d.due_date)
    note_read(request, [row.pupil_id for row in rows], "exclusions register")
    return render(
        request,
        "exclusions/register.html",
        {
            "rows": rows,
            "page": page,
            "query": query_without_page(request),
            "filters": filters,
            "schools": School.objects.visible_to(request.user),
            "reasons": ReasonCode.objects.all(),
            "phases": Phase.choices,
            "sen_choices": SenStatus.choices,
            "care_choices": CareStatus.choices,
            "kinds": Kind.choices,
        },
    )


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

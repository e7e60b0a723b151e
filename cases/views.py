import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list

from accounts.models import Role
from accounts.policy import (
    RoleMayNotAct,
    belongs_to,
    managed_services,
)
from audit.reads import note_read
from cases import reviews, services
from cases.access import can_decide_review
from cases.forms import (
    ActionForm,
    AllocateForm,
    CloseForm,
    ContactForm,
    EvaluationForm,
    MeetingForm,
    ReopenForm,
    ReviewForm,
)
from cases.models import (
    Case,
    CaseActivity,
    CaseStatus,
    ClosureReason,
    Contact,
    ContactKind,
    Respondent,
    Review,
    ServiceSettings,
)
from cases.selectors import caseload, caseworkers_of, members_of, team_caseloads
from cases.tables import caseload_rows
from config.errors import DomainError
from config.pages import answers_to_confirm, form_page, posted
from deadlines.calendar import CalendarDataMissing, calendars_for
from deadlines.codes import KindCode
from deadlines.selectors import live_deadline, live_for
from pupils.timeline import Entry, timeline_html
from referrals.models import STANDS as REFERRAL_STANDS
from referrals.models import Referral, Status


def allocate(request, referral_pk):
    managed = managed_services(request.user)
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).exclude(status=Status.DRAFT), pk=referral_pk
    )
    if referral.service_id not in managed:
        raise RoleMayNotAct
    if referral.status != Status.ACCEPTED:  # allocated (or withdrawn) meanwhile by someone else
        messages.info(request, f"{referral.reference} {REFERRAL_STANDS[Status(referral.status)]}.")
        return redirect("referrals:awaiting")
    return form_page(
        request,
        AllocateForm(caseworkers_of(referral.service), data=posted(request)),
        template="cases/allocate.html",
        context={
            "referral": referral,
            "allocation": live_deadline(referral, KindCode.ALLOCATION),
        },
        save=lambda data: services.allocate_referral(
            request.user, referral, caseworker=data["caseworker"]
        ),
        done=reverse("referrals:awaiting"),
        message=lambda case: f"{referral.reference} is allocated to {case.caseworker.full_name}.",
        on_show=lambda: note_read(request, [referral.pupil_id], "allocating a referral"),
    )


def my_cases(request):
    """The caseworker's caseload: weeks used against the maximum, contacts against the
    minimum, the next deadline and the last contact."""
    cases = caseload(request.user, request.user)
    today = timezone.localdate()
    note_read(request, [case.pupil_id for case in cases], "caseload")
    return render(
        request,
        "cases/my_cases.html",
        {"cases": cases, "caseload_rows": caseload_rows(cases), "today": today},
    )


def case_detail(request, pk):
    user = request.user
    case = get_object_or_404(
        # The earlier episode, when there is one, is read on its own: one join fewer to plan
        # for the many cases that have none. The BIP and the service's settings come with it.
        Case.objects.visible_to(user).select_related(
            "pupil", "school__organisation", "service__case_settings", "caseworker",
            "referral__referral_type", "bip", "reopened_as",
        ),
        pk=pk,
    )  # fmt: skip
    is_service = belongs_to(request.user, case.service_id)
    is_school = request.membership is not None and request.membership.role == Role.SCHOOL_STAFF
    note_read(request, [case.pupil_id], "case")
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "is_service": is_service,
            "is_school": is_school,
            "chronology": timeline_html(_chronology(case, with_notes=is_service), line_breaks=True),
            "reopened_as": getattr(case, "reopened_as", None),
            "evaluations": case.evaluations.all() if is_service else [],
            "plans": _plans_of(request.user, case, is_service=is_service),
            "clock": _clock(case) if case.status == CaseStatus.OPEN else None,
            "posts_parent_evaluation": case.status == CaseStatus.CLOSED
            and is_service
            and _settings(case).posts_parent_evaluation,
            "open_actions": _open_actions(request.user, case) if is_service else [],
            # The case's own service reads its referral and its BIP; anyone else is asked.
            "referral_visible": is_service
            or Referral.objects.visible_to(user).filter(pk=case.referral_id).exists(),
        },
    )


def _settings(case: Case) -> ServiceSettings:
    """The service's settings, read with the case (a service with none has the defaults)."""
    try:
        return case.service.case_settings
    except ServiceSettings.DoesNotExist:
        return ServiceSettings(service=case.service)


def _clock(case: Case) -> dict:
    """Weeks used of the service's maximum involvement (seed 000: BOSS works with a pupil for
    up to 22 school weeks) and contacts of the minimum."""
    service_settings = _settings(case)
    try:
        weeks = services.weeks_used(
            case,
            timezone.localdate(),
            calendars_for([case.school]).get(case.school_id) if case.school_id else None,
            counts_school_weeks=service_settings.counts_school_weeks,
        )
    except CalendarDataMissing:
        weeks = None
    return {"weeks_used": weeks, "settings": service_settings}


def _open_actions(user, case: Case) -> list:
    """The case's agreed actions still to do (form B/ex4), soonest first: the service's own
    work, shown to its members (its chronology already names each one)."""
    actions = list(
        live_for(case, KindCode.ACTION).select_related("owner_user").order_by("due_date", "pk")
    )
    for action in actions:
        action.can_mark_done = action.owner_user_id == user.pk
    return actions


def _plans_of(user, case, *, is_service: bool) -> list:
    """The case's Behaviour Improvement Plan and the pupil's active plans the user may see,
    with those past their review flagged."""
    from plans.models import (
        BehaviourImprovementPlan,
        PartTimeTimetable,
        PastoralSupportPlan,
        PlanStatus,
    )

    today, pupil = timezone.localdate(), case.pupil
    try:
        bip = case.bip
    except BehaviourImprovementPlan.DoesNotExist:
        bip = None
    if bip is not None and not is_service:
        bip = BehaviourImprovementPlan.objects.visible_to(user).filter(pk=bip.pk).first()
    plans = [bip] if bip is not None else []
    plans += list(
        PastoralSupportPlan.objects.visible_to(user).filter(pupil=pupil, status=PlanStatus.ACTIVE)
    )
    plans += list(
        PartTimeTimetable.objects.visible_to(user).filter(pupil=pupil, status=PlanStatus.ACTIVE)
    )
    for plan in plans:
        plan.review_overdue = bool(plan.next_review_date and plan.next_review_date < today)
    return plans


def _chronology(case: Case, *, with_notes: bool) -> list[Entry]:
    """One timeline: the referral's steps, every episode's events and, for the service only,
    its contacts (school staff never see the caseworker's notes)."""
    episodes = [case]
    while episodes[-1].previous_id:
        episodes.append(episodes[-1].previous)
    entries = [
        Entry(at=a.at, title=a.get_kind_display(), byline=_name(a.actor), description=a.note)
        for a in case.referral.activities.select_related("actor")
    ]
    for activity in CaseActivity.objects.filter(case__in=episodes).select_related("actor"):
        entries.append(
            Entry(
                at=activity.at,
                title=activity.get_kind_display(),
                byline=_name(activity.actor),
                description=activity.note if with_notes else "",
            )
        )
    if with_notes:  # hundreds on a long case: read as rows, not as model instances
        kinds = dict(ContactKind.choices)
        zone = timezone.get_current_timezone()
        for day, kind, minutes, participants, notes, recorder in Contact.objects.filter(
            case__in=episodes
        ).values_list("date", "kind", "duration_minutes", "participants", "notes",
                      "recorded_by__full_name"):  # fmt: skip
            entries.append(
                Entry(
                    at=datetime.datetime.combine(day, datetime.time(12), tzinfo=zone),
                    title=f"{kinds.get(kind, kind)} ({minutes} minutes)",
                    byline=recorder or "",
                    description=f"With {participants}. {notes}",
                )
            )
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _name(user) -> str:
    return user.full_name if user else ""


def record_contact(request, pk):
    case = _service_case(request, pk)
    return form_page(
        request,
        ContactForm(data=posted(request)),
        template="cases/record_contact.html",
        context={"case": case},
        save=lambda data: services.record_contact(request.user, case, **data),
        done=case.get_absolute_url(),
        message="The contact has been recorded.",
    )


def _service_case(request, pk) -> Case:
    """A case of the user's own service: 404 for a case the user cannot see, 403 for one they
    see from elsewhere (the school, the virtual school) but may not work on."""
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("pupil", "service", "caseworker"),
        pk=pk,
    )
    if not belongs_to(request.user, case.service_id):
        raise RoleMayNotAct
    return case


def agree_action(request, pk):
    case = _service_case(request, pk)
    form = ActionForm(members_of(case.service), data=posted(request))
    return form_page(
        request,
        form,
        template="cases/form.html",
        context={"case": case, "title": "Agree an action", "button": "Save action"},
        save=lambda data: services.agree_action(request.user, case, **data),
        done=case.get_absolute_url(),
        message="The action has been recorded with its due date.",
    )


def record_meeting(request, pk):
    case = _service_case(request, pk)
    return form_page(
        request,
        MeetingForm(data=posted(request)),
        template="cases/form.html",
        context={"case": case, "title": "Record a multi-agency meeting", "button": "Save meeting"},
        save=lambda data: services.record_meeting(request.user, case, **data),
        done=case.get_absolute_url(),
        message="The meeting has been recorded.",
    )


def close(request, pk):
    """Form B/ex5: the closure, with a confirmation that says who will be told."""
    case = _service_case(request, pk)
    form = CloseForm(data=posted(request))
    if request.method == "POST" and form.is_valid() and request.POST.get("confirm") != "yes":
        try:
            services.check_closure(case, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
            return render(
                request,
                "cases/form.html",
                {"case": case, "form": form, "title": "Close the case", "button": "Continue"},
                status=400,
            )
        audience = services.closure_audience(case)
        return render(
            request,
            "cases/confirm_close.html",
            {
                "case": case,
                "reason": ClosureReason(form.cleaned_data["reason"]).label,
                "told": services.told_in_words(case, audience),
                "posted": answers_to_confirm(request),
            },
        )
    parent_form = services.settings_for(case.service).posts_parent_evaluation
    return form_page(
        request,
        form,
        template="cases/form.html",
        context={
            "case": case,
            "title": "Close the case",
            "button": "Continue",
            "intro": "Next you check who will be told before the case closes."
            + (" The parent is sent the evaluation (form B/ex6) today." if parent_form else ""),
        },
        save=lambda data: services.close_case(request.user, case, **data),
        done=case.get_absolute_url(),
        message=lambda closed: (
            "The case is closed. "
            + (
                f"Told: {get_text_list(closed.told, 'and')}."
                if closed.told
                else "Nobody else needed telling: no school staff, family e-mail or virtual school."
            )
        ),
    )


def reopen(request, pk):
    case = _service_case(request, pk)
    return form_page(
        request,
        ReopenForm(data=posted(request)),
        template="cases/form.html",
        context={"case": case, "title": "Reopen the case", "button": "Reopen"},
        save=lambda data: services.reopen_case(request.user, case, reason=data["reason"]),
        done=lambda episode: episode.get_absolute_url(),
        message="The case is reopened. Earlier records stay on it.",
    )


def evaluate(request, pk):
    """B/ex6: the school rates the service; the caseworker records the parent's answers."""
    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    membership = request.membership
    is_school = membership is not None and membership.role == Role.SCHOOL_STAFF
    respondent = Respondent.SCHOOL if is_school else Respondent.PARENT
    if not is_school:
        case = _service_case(request, pk)
    return form_page(
        request,
        EvaluationForm(data=posted(request)),
        template="cases/form.html",
        context={
            "case": case,
            "title": "How did we do?" if is_school else "Record the parent's evaluation",
            "button": "Send",
        },
        save=lambda data: services.record_evaluation(
            request.user, case, respondent=respondent, **data
        ),
        done=case.get_absolute_url(),
        message="Thank you: the evaluation has been recorded.",
    )


def review(request, pk):
    item = get_object_or_404(
        Review.objects.visible_to(request.user).select_related("case__pupil", "referral__pupil"),
        pk=pk,
    )
    subject = item.case or item.referral
    if not can_decide_review(request.user, item):
        raise RoleMayNotAct

    def save(data):
        reviews.decide_review(request.user, item, **data)

    done = (
        reverse("cases:close", args=[item.case_id])
        if request.method == "POST" and request.POST.get("decision") == "close" and item.case_id
        else subject.get_absolute_url()
    )
    return form_page(
        request,
        ReviewForm(data=posted(request)),
        template="cases/form.html",
        context={
            "case": item.case,
            "subject": subject,
            "title": f"Quarterly review from {item.quarter_start:%-d %B %Y}",
            "button": "Record decision",
        },
        save=save,
        done=done,
        message="The review is recorded.",
    )


def team(request):
    """Every caseworker's caseload, for the service's managers, with cases past the maximum."""
    managed = managed_services(request.user)
    if not managed:
        raise RoleMayNotAct
    cases = team_caseloads(request.user, managed)
    note_read(request, [case.pupil_id for case in cases], "team caseloads")
    return render(
        request,
        "cases/team.html",
        {"cases": cases, "past_maximum": [c for c in cases if c.past_maximum]},
    )


def reallocate(request, pk):
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("service", "pupil"), pk=pk
    )
    managed = managed_services(request.user)
    if case.service_id not in managed:
        raise RoleMayNotAct
    return form_page(
        request,
        AllocateForm(caseworkers_of(case.service), data=posted(request)),
        template="cases/form.html",
        context={"case": case, "title": "Reallocate the case", "button": "Reallocate"},
        save=lambda data: services.reallocate_case(request.user, case, **data),
        done=reverse("cases:team"),
        message="The case has been reallocated.",
    )


def write_bip(request, pk):
    """The service working the case writes its Behaviour Improvement Plan (seed 000)."""
    from plans import services as plan_services
    from plans.forms import BipForm
    from plans.models import BehaviourImprovementPlan
    from plans.views import _page

    case = get_object_or_404(Case.objects.visible_to(request.user), pk=pk)
    if not belongs_to(request.user, case.service_id):
        raise RoleMayNotAct  # the school sees the case; its service writes the BIP
    existing = BehaviourImprovementPlan.objects.filter(case=case).first()
    initial = {}
    if existing:
        initial = {f: getattr(existing, f) for f in BipForm.base_fields}
    return _page(
        request,
        BipForm(data=posted(request), initial=initial),
        title="Behaviour Improvement Plan",
        save=lambda data: plan_services.write_bip(request.user, case, **data),
        done=lambda bip: bip.get_absolute_url(),
        message="The BIP is saved.",
        back=case.get_absolute_url(),
    )

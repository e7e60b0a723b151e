import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from accounts.policy import (
    administered_authority_ids,
    administers_any_authority,
    manages_a_team,
)
from audit.reads import note_read
from config.errors import DomainError
from config.pages import form_page, posted
from config.pagination import Paginator
from config.tables import PROVISIONAL, Cell, day_and_date, record_urls, table_rows, tag
from deadlines import services
from deadlines.access import own_deadline_filter
from deadlines.calendar import calendars_for
from deadlines.codes import KindCode
from deadlines.forms import CompleteActionForm, WaiveDeadlineForm
from deadlines.models import (
    Deadline,
    Notification,
    NotificationStatus,
)
from deadlines.operations import findings
from deadlines.selectors import overdue_by, recreated_by_kind

DEADLINE_RELATED = [
    "kind",
    "school__organisation",
    "owner_user",
    "owner_organisation",
    "subject_type",
]


LIST_FIELDS = (
    "due_date", "provisional", "title", "counting", "pupil", "status", "kind__name",
    "school__name", "school__organisation__local_authority", "owner_user__full_name",
    "owner_organisation__name",
)  # fmt: skip


def my_deadlines(request):
    """Open deadlines, soonest first: the user's own, or a manager's whole team's."""
    show_team = request.GET.get("show") == "team" and manages_a_team(request.user)
    deadlines = (
        Deadline.objects.visible_to(request.user)
        .live()
        .select_related("kind", "school__organisation", "owner_user", "owner_organisation")
        .only(*LIST_FIELDS)  # fifty rows of six records each: only what the list shows
        .order_by("due_date", "pk")
    )
    if not show_team:
        deadlines = deadlines.filter(own_deadline_filter(request.user))
    page = Paginator(deadlines, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    today = timezone.localdate()
    calendars = calendars_for({d.school_id: d.school for d in rows if d.school_id}.values())
    for deadline in rows:
        deadline.overdue_by = overdue_by(deadline, today, calendars)
    note_read(request, [d.pupil_id for d in rows], "deadlines")
    return render(
        request,
        "deadlines/my_deadlines.html",
        {
            "page": page,
            "rows": rows,
            "deadline_rows": deadline_rows(rows, today),
            "show_team": show_team,
            "can_see_team": manages_a_team(request.user),
            "today": today,
        },
    )


def deadline_rows(rows, today) -> SafeString:
    """The list's rows, written in Python (:mod:`config.tables`): when each is due (and whether
    that date is provisional), what it is, its kind, who owns it, and whether it is overdue (in
    the units it is counted in), due today or open."""

    url_of_deadline = record_urls("deadlines:detail")

    def cells(deadline):
        due = day_and_date(deadline.due_date)
        if deadline.provisional:
            due = mark_safe(f"{escape(due)} {PROVISIONAL}")  # escaped
        if deadline.overdue_by:
            status = tag(deadline.overdue_by, "red")
        elif deadline.due_date == today:
            status = tag("Due today", "orange")
        else:
            status = tag("Open", "blue")
        owner = (
            deadline.owner_user.full_name
            if deadline.owner_user
            else getattr(deadline.owner_organisation, "name", "")
        )
        return [
            Cell(due),
            Cell(deadline.title, href=url_of_deadline(deadline.pk)),
            Cell(deadline.kind.name),
            Cell(owner),
            Cell(status),
        ]

    return table_rows(cells(deadline) for deadline in rows)


def deadline_detail(request, pk):
    deadline = get_object_or_404(
        Deadline.objects.visible_to(request.user).select_related(*DEADLINE_RELATED), pk=pk
    )
    note_read(request, [deadline.pupil_id], "deadline")
    sent_steps = set(deadline.notifications.values_list("step_id", flat=True))
    schedule = []
    for step in deadline.kind.steps.all():
        schedule.append(
            {
                "label": step.label,
                "date": services.step_date(deadline, step),
                "sent": step.pk in sent_steps,
            }
        )
    return render(
        request,
        "deadlines/detail.html",
        {
            "deadline": deadline,
            "schedule": schedule,
            "waive_form": WaiveDeadlineForm(),
            "subject_url": getattr(deadline.subject, "get_absolute_url", lambda: "")(),
        },
    )


def waive_deadline(request, pk):
    deadline = get_object_or_404(
        Deadline.objects.visible_to(request.user).select_related(*DEADLINE_RELATED), pk=pk
    )
    return form_page(
        request,
        WaiveDeadlineForm(data=posted(request)),
        template="deadlines/waive.html",
        context={"deadline": deadline},
        save=lambda data: services.waive_deadline(request.user, deadline, reason=data["reason"]),
        done=reverse("deadlines:detail", args=[deadline.pk]),
        message=f"“{deadline.title}” no longer applies.",
    )


def complete_action(request, pk):
    """Form B/ex4: the owner of an agreed action marks it done, with the day it was done."""
    deadline = get_object_or_404(
        Deadline.objects.visible_to(request.user).select_related(*DEADLINE_RELATED), pk=pk
    )
    if deadline.kind.code != KindCode.ACTION or not deadline.is_live:
        raise Http404
    form = CompleteActionForm(data=posted(request), initial={"done_on": timezone.localdate()})
    return form_page(
        request,
        form,
        template="deadlines/done.html",
        context={"deadline": deadline},
        save=lambda data: services.complete_action(request.user, deadline, done_on=data["done_on"]),
        done=reverse("deadlines:detail", args=[deadline.pk]),
        message=f"“{deadline.title}” is done.",
    )


def notification_list(request):
    notifications = (
        Notification.objects.visible_to(request.user)
        .filter(recipient=request.user)
        .order_by("-created_at", "-pk")
    )
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(request, "deadlines/notifications.html", {"page": page})


def open_notification(request, pk):
    notification = get_object_or_404(
        Notification.objects.visible_to(request.user).filter(recipient=request.user), pk=pk
    )
    services.mark_notifications_read(request.user, Notification.objects.filter(pk=notification.pk))
    return redirect(notification.url or "deadlines:notifications")


@require_POST
def mark_all_read(request):
    count = services.mark_notifications_read(
        request.user, Notification.objects.visible_to(request.user)
    )
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("deadlines:notifications")


def operations(request):
    """For LA administrators: messages that could not be sent or may have been sent, the
    queue's state, and what the checks that run each day have found."""
    authorities = administered_authority_ids(request.user)
    if not authorities:
        raise Http404
    visible = Notification.objects.visible_to(request.user)
    related = ("recipient", "deadline__kind")
    failed = visible.filter(status=NotificationStatus.FAILED).select_related(*related)[:200]
    unknown = visible.filter(status=NotificationStatus.UNKNOWN).select_related(*related)[:200]
    pending = visible.filter(status=NotificationStatus.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    recreated = recreated_by_kind(authorities, since=timezone.now() - datetime.timedelta(30))
    return render(
        request,
        "deadlines/operations.html",
        {
            "failed": failed,
            "unknown": unknown,
            "pending_count": pending.count(),
            "oldest_pending": oldest,
            "recreated": recreated,
            "findings": findings(authorities, timezone.localdate()),
        },
    )


@require_POST
def retry_notification(request, pk):
    if not administers_any_authority(request.user):
        raise Http404
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    try:
        services.retry_notification(request.user, notification)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        to = notification.recipient.full_name if notification.recipient else notification.to_email
        messages.success(request, f"The message to {to} will be sent again.")
    return redirect("deadlines:operations")

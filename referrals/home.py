"""What each role finds about referrals on its home page: the school, its referrals and the
gateway's questions; the gateway, its queue and the flags it screens first by; a service
manager, the referrals waiting for a caseworker."""

from django.db.models import Count, Min
from django.urls import reverse

from accounts.models import Role
from accounts.policy import managed_services, screens_for
from audit.reads import note_read
from deadlines.codes import KindCode
from deadlines.selectors import live_of_kind
from referrals.forms import QueueFlag
from referrals.models import SCREENING_STATUSES, Referral, Status
from referrals.selectors import (
    accepted_not_allocated,
    parent_referral_types_for,
    queue_flag_filter,
    screened_by,
)


def home_page(request, membership) -> dict:
    role = membership.role
    if role == Role.SCHOOL_STAFF:
        return _school_staff(request)
    context = {}
    if role in {Role.GATEWAY_SCREENER, Role.SERVICE_MANAGER}:
        context["screening"] = _screening(request)
    if role == Role.SERVICE_MANAGER:
        context["awaiting"] = _awaiting_allocation(request)
    if role in {Role.CASEWORKER, Role.SERVICE_MANAGER}:
        context["takes_parent_referrals"] = parent_referral_types_for(request.user).exists()
    return context


def _school_staff(request) -> dict:
    """The gateway's questions to any of the user's schools (answered from here whichever
    school they are working for now), and their referrals counted by status."""
    user = request.user
    referrals = Referral.objects.visible_to(user)
    questions = list(
        referrals.filter(status=Status.MORE_INFORMATION)
        .select_related("pupil", "school")
        .order_by("decided_at", "pk")[:20]
    )
    note_read(request, [r.pupil_id for r in questions], "home page")
    counts = dict(
        referrals.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_status = [
        {
            "count": counts[status.value],
            "label": status.label,
            "url": f"{reverse('referrals:list')}?status={status.value}",
        }
        for status in Status
        if counts.get(status.value)
    ]
    return {"questions": questions, "referrals_by_status": by_status}


def _screening(request) -> dict:
    """The gateway's queue counted, with the flags a screener looks for first."""
    user = request.user
    waiting = Referral.objects.visible_to(user).filter(
        screened_by(screens_for(user)), status__in=SCREENING_STATUSES
    )
    flags = [QueueFlag.MINE, QueueFlag.CRISIS, QueueFlag.LOOKED_AFTER, QueueFlag.ANSWERED,
             QueueFlag.INCOMPLETE]  # fmt: skip
    counts = waiting.aggregate(
        total=Count("pk"),
        **{flag.value: Count("pk", filter=queue_flag_filter(flag.value, user)) for flag in flags},
    )
    queue = reverse("referrals:queue")
    items = [{"count": counts["total"], "label": "waiting to be screened", "url": queue}]
    items += [
        {"count": counts[flag.value], "label": _FLAG_WORDS[flag], "url": f"{queue}?flag={flag}"}
        for flag in flags
    ]
    return {"items": items}


_FLAG_WORDS = {
    QueueFlag.MINE: "assigned to you",
    QueueFlag.CRISIS: "at crisis point",
    QueueFlag.LOOKED_AFTER: "for looked-after pupils",
    QueueFlag.ANSWERED: "with the school's answer to read",
    QueueFlag.INCOMPLETE: "sent incomplete",
}


def _awaiting_allocation(request) -> dict:
    """Referrals accepted into the manager's services and not yet allocated, with the day the
    first of them must be allocated by."""
    managed = managed_services(request.user)
    accepted = accepted_not_allocated(request.user, managed)
    count = accepted.count()
    allocate_by = None
    if count:
        allocate_by = live_of_kind(Referral, KindCode.ALLOCATION, accepted.values("pk")).aggregate(
            first=Min("due_date")
        )["first"]
    return {"count": count, "allocate_by": allocate_by, "url": reverse("referrals:awaiting")}

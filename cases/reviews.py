"""The three-monthly review sweep (seed 004: "every open referral is revisited and closed where
possible every three months: Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar")."""

import datetime

from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from accounts.selectors import people_with_role
from cases.access import can_decide_review
from cases.models import Case, CaseStatus, Review, ReviewDecision
from config.actions import locked, service_action
from config.errors import DomainError
from deadlines import services as deadline_services
from deadlines.codes import KindCode
from deadlines.models import Deadline, DeadlineKind
from referrals.models import WAITING_STATUSES, Referral

ESCALATE_AFTER = datetime.timedelta(days=28)  # due 14 days in, then two weeks overdue


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


BATCH = 1000


def sweep_reviews(*, today: datetime.date | None = None, batch: int = BATCH) -> int:
    """Open this quarter's review for every case and every referral that was open when the
    quarter began, once: the unique (subject, quarter) key makes a second run a no-op. Then
    send reviews two weeks overdue to the manager. Reviews are opened a batch at a time (one
    insert for the reviews, one for their deadlines), so the cost follows the number due."""
    today = today or timezone.localdate()
    start = quarter_start(today)
    cases = (
        Case.objects.filter(status=CaseStatus.OPEN, opened_on__lt=start)
        .exclude(reviews__quarter_start=start)
        .select_related("pupil", "service", "caseworker")
        .order_by("pk")
    )
    referrals = (
        Referral.objects.filter(status__in=WAITING_STATUSES, submitted_at__date__lt=start)
        .exclude(reviews__quarter_start=start)
        .select_related("pupil", "service", "gateway")
        .order_by("pk")
    )
    created = 0
    for field, queryset in (("case", cases), ("referral", referrals)):
        last = 0
        while chunk := list(queryset.filter(pk__gt=last)[:batch]):
            created += open_reviews(None, start, field, chunk)
            last = chunk[-1].pk
    escalate_overdue_reviews(None, today=today)
    return created


@service_action
def open_reviews(actor, start: datetime.date, field: str, subjects: list) -> int:
    """Open the quarter's review, and its deadline, for each case or referral (``field``) in
    ``subjects`` that has none yet. ``ON CONFLICT DO NOTHING`` against the unique (subject,
    quarter) keys makes two sweeps at once, or the same sweep twice, open each review once;
    ``RETURNING`` names the ones this call opened, and only those get a deadline."""
    column = {"case": "case_id", "referral": "referral_id"}[field]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Review._meta.db_table} "
            f"(quarter_start, {column}, decision, reason) "
            "SELECT %s, subject, %s, '' FROM unnest(%s::bigint[]) AS subject "
            f"ON CONFLICT DO NOTHING RETURNING id, {column}",
            [start, ReviewDecision.PENDING, [subject.pk for subject in subjects]],
        )
        opened = {subject_id: pk for pk, subject_id in cursor.fetchall()}
    kind = DeadlineKind.objects.prefetch_related("steps").get(code=KindCode.QUARTERLY_REVIEW)
    deadlines = []
    for subject in subjects:
        if subject.pk not in opened:
            continue
        review = Review(pk=opened[subject.pk], quarter_start=start, **{field: subject})
        deadlines.append(deadline_services.build_deadline(**review_clock(review, kind=kind)))
    Deadline.objects.bulk_create(deadlines)
    return len(deadlines)


def review_clock(review: Review, *, kind=KindCode.QUARTERLY_REVIEW) -> dict:
    """Seed 004: each quarter's review of an open case or referral, due in its quarter."""
    field = "case" if review.case_id else "referral"
    subject = review.case or review.referral
    return dict(
        kind=kind,
        subject=review,
        pupil=subject.pupil,
        start_date=review.quarter_start,
        title=f"Quarterly review: {subject.pupil} ({subject.service.name})",
        **_review_owner(subject, field),
    )


def _review_owner(subject, field: str) -> dict:
    """A case's review is its caseworker's; a referral's is its gateway's screeners', or the
    service managers' where the referral has no gateway."""
    if field == "case":
        return {"owner_user": subject.caseworker}
    if subject.gateway_id:
        return {"owner_organisation": subject.gateway, "owner_role": Role.GATEWAY_SCREENER}
    return {"owner_organisation": subject.service, "owner_role": Role.SERVICE_MANAGER}


@service_action
def escalate_overdue_reviews(actor, *, today: datetime.date) -> int:
    """Reviews still undecided two weeks after they were due go to the service's managers
    (seed 004): one message to each manager for each service, naming the pupils, however many
    reviews are overdue, rather than one message a review; and one update marks them all. A
    service with no manager has its authority's LA administrators told that it needs one
    (without the pupils' names); with nobody to tell, the reviews stay unescalated, and the
    operations page counts them."""
    overdue = list(
        Review.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            decision=ReviewDecision.PENDING,
            escalated_at__isnull=True,
            quarter_start__lte=today - ESCALATE_AFTER,
        )
        .select_related("case__service", "referral__service", "case__pupil", "referral__pupil")
        .order_by("quarter_start", "pk")
    )
    if not overdue:
        return 0
    by_service = {}
    for review in overdue:
        subject = review.case or review.referral
        by_service.setdefault(subject.service, []).append(review)
    managers = {}
    for membership in (
        Membership.objects.active()
        .filter(organisation__in=list(by_service), role=Role.SERVICE_MANAGER)
        .select_related("user")
    ):
        managers.setdefault(membership.organisation_id, []).append(membership.user)
    escalated = []
    for service, late in by_service.items():
        if service.pk in managers:
            deadline_services.notify_people(
                None, managers[service.pk], **_overdue_message(service, late)
            )
        else:
            administrators = people_with_role(Role.LA_ADMINISTRATOR, pk=service.local_authority_id)
            if not administrators:
                continue  # nobody to tell: shown on the operations page
            deadline_services.notify_people(
                None, administrators, **_no_manager_message(service, late)
            )
        escalated += late
    now = timezone.now()
    for chunk in range(0, len(escalated), BATCH):
        Review.objects.filter(pk__in=[r.pk for r in escalated[chunk : chunk + BATCH]]).update(
            escalated_at=now
        )
    return len(escalated)


def _no_manager_message(service, late: list[Review]) -> dict:
    count = len(late)
    return {
        "subject": f"{service.name} has no service manager to review {count} overdue "
        f"quarterl{'y review' if count == 1 else 'y reviews'}",
        "body": f"{count} quarterly review{'s have' if count != 1 else ' has'} not been decided "
        f"two weeks after {'they were' if count != 1 else 'it was'} due, and {service.name} "
        "has no active service manager to tell. Give the service a manager so that the "
        "reviews reach someone who can decide them.",
    }


def overdue_with_nobody_to_tell(authority_ids, today: datetime.date) -> int:
    """Overdue reviews of the authorities' services that the sweep found nobody to tell."""
    return Review.objects.filter(
        Q(case__service__local_authority__in=authority_ids)
        | Q(referral__service__local_authority__in=authority_ids),
        decision=ReviewDecision.PENDING,
        escalated_at__isnull=True,
        quarter_start__lte=today - ESCALATE_AFTER,
    ).count()


def _overdue_message(service, late: list[Review]) -> dict:
    names = [str((review.case or review.referral).pupil) for review in late]
    first = late[0]
    if len(late) == 1:
        return {
            "subject": f"Quarterly review overdue: {names[0]}",
            "body": f"The review for the quarter from {first.quarter_start:%-d %B %Y} has not "
            "been decided two weeks after it was due.",
            "url": reverse("cases:review", args=[first.pk]),
        }
    shown = ", ".join(names[:20]) + (f", and {len(names) - 20} more" if len(names) > 20 else "")
    return {
        "subject": f"{len(late)} quarterly reviews overdue at {service.name}",
        "body": f"These reviews have not been decided two weeks after they were due: {shown}.",
    }


@service_action
def decide_review(actor, review: Review, *, decision: str, reason: str) -> Review:
    """Continue (with a reason) or close. Closing a case goes on to the closure form; closing
    a referral declines it with the reason."""
    from cases import services as case_services
    from referrals import services as referral_services

    locked(review)
    if not can_decide_review(actor, review):
        raise DomainError("Only the people working this case or referral decide its review.")
    if review.decision != ReviewDecision.PENDING:
        raise DomainError("This review has already been decided.")
    if decision not in {ReviewDecision.CONTINUE, ReviewDecision.CLOSE}:
        raise DomainError("Select continue or close", field="decision")
    if decision == ReviewDecision.CONTINUE and not reason.strip():
        raise DomainError("Enter why the work continues", field="reason")
    review.decision = decision
    review.reason = reason.strip()
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.save()
    deadline_services.satisfy_deadlines_for(actor, review, KindCode.QUARTERLY_REVIEW)
    if review.case_id:
        case_services._activity(
            review.case, actor, "reviewed", f"{review.get_decision_display()}. {review.reason}"
        )
    elif decision == ReviewDecision.CLOSE:
        referral_services.close_at_review(actor, review.referral, reason=reason)
    return review

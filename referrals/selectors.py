"""Reads of referrals that pages, the API and the services share."""

from django.db.models import Q

from pupils.models import CareStatus
from referrals.models import Question, Referral, ReferralType, Status


def checklist_items(referral: Referral) -> list[tuple[str, str]]:
    """The PRT's completeness checklist, from what the type asks for (seed 000: the PRT
    screens the PSP; seed 003: PSP, Early Help or TAC)."""
    items = [
        ("reason", "The reason for referral is clear"),
        ("consent", "Parental consent is recorded"),
    ]
    if referral.referral_type.asks("ladder"):
        items.append(("ladder", "The ladder was followed, or the crisis is explained"))
    if referral.referral_type.requires_psp_document or referral.psp_id:
        items.append(("psp", "The Pastoral Support Plan is comprehensive"))
    if referral.pupil.care_status == CareStatus.LOOKED_AFTER:
        items.append(("virtual_school", "The virtual school was consulted"))
    return items


def referral_types_for(school):
    """The kinds of referral a school may make: those taken by its own authority's services,
    never another authority's, and never a parent's own referral (form B/ex1), which the
    behaviour officer takes from the parent (seed 004)."""
    return (
        ReferralType.objects.filter(
            is_active=True, service__local_authority=school.organisation.local_authority_id
        )
        .exclude(questions__contains=[Question.PARENT])
        .select_related("service", "gateway")
    )


def parent_referral_types_for(user):
    """The parent's referral forms (B/ex1) of the services the user works in (seed 004)."""
    from accounts.models import Role
    from accounts.policy import active_memberships, organisations_with_role

    services = organisations_with_role(
        active_memberships(user), Role.CASEWORKER, Role.SERVICE_MANAGER
    )
    return ReferralType.objects.filter(
        is_active=True, service__in=services, questions__contains=[Question.PARENT]
    ).select_related("service")


def queue_flag_filter(flag: str, user) -> Q:
    """The queue's flags (seed 002: a crisis, or a looked-after pupil, is screened first; an
    answer from the school is read before the rest; an incomplete referral was sent with a
    reason for what is missing)."""
    return {
        "mine": Q(screener=user),
        "crisis": Q(crisis=True),
        "looked_after": Q(pupil__care_status=CareStatus.LOOKED_AFTER),
        "answered": Q(status=Status.SUBMITTED) & ~Q(answer=""),
        "incomplete": Q(incomplete=True),
    }[flag]


def find_by_reference(referrals, text: str):
    """A reference typed as it is written, in any case and with spaces around it."""
    return referrals.filter(reference__iexact=text.strip())


def screened_by(organisations) -> Q:
    """Referrals sent to these gateways, or, for a kind with no gateway, to these services,
    which screen their own (seed 004)."""
    return Q(gateway__in=organisations) | Q(gateway__isnull=True, service__in=organisations)


def accepted_not_allocated(user, service_ids):
    """Referrals accepted into the services a manager runs and not yet allocated (seed 001:
    allocated within 2 weeks), as the user may see them."""
    return Referral.objects.visible_to(user).filter(service__in=service_ids, status=Status.ACCEPTED)

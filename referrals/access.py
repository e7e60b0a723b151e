"""Who reads a referral, and who may act on one: the checks its services make, and its pages
ask before offering an action."""

from django.db.models import Exists, OuterRef, Q

from accounts.models import Membership, Role
from accounts.policy import (
    NOTHING,
    active_memberships,
    organisations_with_role,
    screens_for,
)
from pupils.access import virtual_school_cohort
from referrals.models import OPEN_STATUSES, ROUTED_STATUSES, Referral, Status


def referral_filter(user) -> Q:
    """Who reads a referral (issue: referrals; seeds 000, 002, 003):

    - school staff: their schools' referrals, drafts included;
    - a gateway (the PRT, the BACME inbox): referrals sent to it, once submitted;
    - a service: referrals routed to it, and, for a type with no gateway, those it screens
      itself once submitted; so a harmful-sexual-behaviour referral is seen only by its gateway
      and its receiving service;
    - the virtual school: referrals of looked-after and previously looked-after pupils, except
      the sensitive ones;
    - an LA administrator: none.
    """
    return referral_q(active_memberships(user))


def referral_q(memberships: list[Membership]) -> Q:
    if not memberships:
        return NOTHING
    combined = NOTHING
    schools = organisations_with_role(memberships, Role.SCHOOL_STAFF)
    if schools:
        combined |= Q(school__organisation__in=schools)
    gateways = organisations_with_role(memberships, Role.GATEWAY_SCREENER, Role.SERVICE_MANAGER)
    if gateways:
        combined |= Q(gateway__in=gateways) & ~Q(status=Status.DRAFT)
    services = organisations_with_role(memberships, Role.CASEWORKER, Role.SERVICE_MANAGER)
    if services:
        combined |= Q(service__in=services) & (
            Q(status__in=ROUTED_STATUSES) | (Q(gateway__isnull=True) & ~Q(status=Status.DRAFT))
        )
    if organisations_with_role(memberships, Role.VIRTUAL_SCHOOL_OFFICER):
        combined |= (
            virtual_school_cohort(memberships) & Q(sensitive=False) & ~Q(status=Status.DRAFT)
        )
    la_managed = organisations_with_role(memberships, Role.LA_MANAGER)
    if la_managed:
        combined |= (
            Q(service__local_authority__in=la_managed)
            & Q(sensitive=False)
            & ~Q(status=Status.DRAFT)
        )
    return combined


def involved_through_referrals(memberships: list[Membership]) -> Q:
    """The gateway screening an open referral works with its pupil; a service does once the
    gateway has accepted a referral to it (or, for a kind with no gateway, once it is sent to
    the service to screen itself). A referral still waiting at the gateway shows the service
    nothing of the pupil."""
    gateways = organisations_with_role(memberships, Role.GATEWAY_SCREENER)
    services = organisations_with_role(memberships, Role.CASEWORKER, Role.SERVICE_MANAGER)
    if not gateways and not services:
        return NOTHING
    routed = Q(status__in=[Status.ACCEPTED, Status.ALLOCATED]) | Q(
        gateway__isnull=True, status__in=OPEN_STATUSES
    )
    referrals = Referral.objects.filter(
        (Q(gateway__in=gateways) & Q(status__in=OPEN_STATUSES))
        | (Q(service__in=services) & routed),
        pupil=OuterRef("pupil"),
    )
    return Q(Exists(referrals))


def can_screen(user, referral: Referral) -> bool:
    """The gateway that received the referral screens it; a type with no gateway is screened
    by its service's managers (seed 000: "All referrals for BOSS support must be made to
    PRT")."""
    return (referral.gateway_id or referral.service_id) in screens_for(user)

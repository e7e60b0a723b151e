"""Who reads plans: the pupil's school, the services and gateways working with the pupil, and
the virtual school for its looked-after children (issue: plans)."""

from collections.abc import Callable

from django.db.models import Q

from accounts.models import Role
from accounts.policy import NOTHING, active_memberships, organisations_with_role
from pupils.access import involved_with_pupil, virtual_school_cohort

_monitors: list[Callable] = []


def monitored_authorities(memberships) -> list:
    """The authorities whose part-time timetables the user's services monitor (seed 003)."""
    return sorted({a for monitors in _monitors for a in monitors(memberships)})


def register_timetable_monitors(monitors: Callable) -> Callable:
    """``monitors(memberships)``: the authorities whose part-time timetables the user's
    service monitors; the casework app, which knows its services' settings, registers it."""
    if monitors not in _monitors:
        _monitors.append(monitors)
    return monitors


def plan_filter(user) -> Q:
    """Plans are seen by the pupil's school, by services and gateways with an open referral or
    case for the pupil, and by the virtual school for looked-after pupils (issue: plans). A BIP
    reaches its school only once handed over, when the case closes (seed 000)."""

    memberships = active_memberships(user)
    if not memberships:
        return NOTHING
    combined = NOTHING
    schools = organisations_with_role(memberships, Role.SCHOOL_STAFF)
    if schools:
        combined |= Q(school__organisation__in=schools)
    combined |= involved_with_pupil(memberships)
    combined |= virtual_school_cohort(memberships)
    return combined


def bip_filter(user) -> Q:
    """A BIP is BOSS's plan, negotiated with the school (seed 000), so the school reads it
    while the case is open; when the case closes it becomes the school's legacy document. An
    arm's-length service's case shows the school nothing."""

    memberships = active_memberships(user)
    if not memberships:
        return NOTHING
    combined = NOTHING
    services = organisations_with_role(memberships, Role.CASEWORKER, Role.SERVICE_MANAGER)
    if services:
        combined |= Q(case__service__in=services)
    schools = organisations_with_role(memberships, Role.SCHOOL_STAFF)
    if schools:
        combined |= Q(school__organisation__in=schools, case__confidential=False)
    combined |= virtual_school_cohort(memberships) & Q(
        case__confidential=False, case__sensitive=False
    )
    return combined


def timetable_filter(user) -> Q:
    """Part-time timetables: as plans, and also every one in the authority for the service that
    monitors them (seed 003: "All Part-Time Tables implemented will be monitored by the
    service")."""
    memberships = active_memberships(user)
    combined = plan_filter(user)
    if organisations_with_role(memberships, Role.CASEWORKER, Role.SERVICE_MANAGER):
        # Asked inside the same query (each monitor gives a subquery), not read beforehand.
        for monitors in _monitors:
            combined |= Q(school__organisation__local_authority__in=monitors(memberships))
    la_managed = organisations_with_role(memberships, Role.LA_MANAGER)
    if la_managed:  # the authority's figures count every part-time timetable of its schools
        combined |= Q(school__organisation__local_authority__in=la_managed)
    return combined

"""Who the user is: their memberships, the organisations where they hold each role, and the
authorities they work in. Every read rule starts from these; the rules themselves live in each
app's ``access.py`` (``pupils.access``, ``referrals.access``…), which its models' ``visible_to``
and its services call, so this module imports no domain app.

A record outside a rule answers 404, exactly as one that does not exist. A page for roles the
user does not hold, or an action on a record the user may see but whose role may not take, answers
403 (:class:`RoleMayNotAct`). The record is always looked up first, so a 403 never tells anybody
that a record they cannot see exists.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from accounts.models import Membership, OrganisationKind, Role

NOTHING = Q(pk__in=[])


class RoleMayNotAct(PermissionDenied):
    """403: the user's roles may not use this page or take this action."""


def active_memberships(user) -> list[Membership]:
    """The user's current memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("organisation", "organisation__local_authority")
        )
        user._active_memberships = cached
    return cached


def school_staff_organisations(user) -> list:
    """The schools (their organisations) the user works at as school staff, by name."""
    found = {m.organisation for m in active_memberships(user) if m.role == Role.SCHOOL_STAFF}
    return sorted(found, key=lambda organisation: organisation.name)


def belongs_to(user, organisation_id: int) -> bool:
    """Whether the user holds an active role at the organisation (a case's service, say)."""
    return any(m.organisation_id == organisation_id for m in active_memberships(user))


def organisations_with_role(memberships: list[Membership], *roles: Role) -> list[int]:
    return [m.organisation_id for m in memberships if m.role in roles]


def authority_ids(memberships: list[Membership]) -> set[int]:
    return {m.organisation.authority.pk for m in memberships}


def membership_filter(user) -> Q:
    """A user sees their own memberships and their colleagues' in the same organisations;
    an LA administrator sees every membership in their authority."""
    memberships = active_memberships(user)
    if not memberships:
        return NOTHING
    administered = administered_authority_ids(user)
    own_organisations = [m.organisation_id for m in memberships]
    return (
        Q(user=user)
        | Q(organisation__in=own_organisations)
        | Q(organisation__local_authority__in=administered)
    )


def administered_authority_ids(user) -> list[int]:
    return [
        m.organisation_id
        for m in active_memberships(user)
        if m.role == Role.LA_ADMINISTRATOR
        and m.organisation.kind == OrganisationKind.LOCAL_AUTHORITY
    ]


def virtual_school_authority_ids(user) -> list[int]:
    """The authorities whose virtual school the user works in (seed 002)."""
    return [
        m.organisation.local_authority_id
        for m in active_memberships(user)
        if m.role == Role.VIRTUAL_SCHOOL_OFFICER
        and m.organisation.kind == OrganisationKind.VIRTUAL_SCHOOL
    ]


def administered_authority(user):
    """The authority the user administers (the first, for one who administers several), read
    from the memberships already loaded; 403 for anyone who administers none."""
    for m in active_memberships(user):
        if (
            m.role == Role.LA_ADMINISTRATOR
            and m.organisation.kind == OrganisationKind.LOCAL_AUTHORITY
        ):
            return m.organisation
    raise RoleMayNotAct


def virtual_school_authority(user):
    """The authority whose virtual school the user works in (the first); 403 for anyone who
    works in none."""
    for m in active_memberships(user):
        if (
            m.role == Role.VIRTUAL_SCHOOL_OFFICER
            and m.organisation.kind == OrganisationKind.VIRTUAL_SCHOOL
        ):
            return m.organisation.local_authority
    raise RoleMayNotAct


def administers_any_authority(user) -> bool:
    return bool(administered_authority_ids(user))


def managed_services(user):
    """The services the user manages: where allocation, reallocation and the team view apply."""
    return organisations_with_role(active_memberships(user), Role.SERVICE_MANAGER)


def manages_a_team(user) -> bool:
    return bool(managed_services(user))


def can_edit_calendar(user) -> bool:
    """LA administrators and service managers keep term dates (issue: deadlines)."""
    return bool(
        organisations_with_role(
            active_memberships(user), Role.LA_ADMINISTRATOR, Role.SERVICE_MANAGER
        )
    )


def screens_for(user) -> list[int]:
    """The organisations whose referrals the user screens: their gateways, and the services
    they manage (a type with no gateway is screened by its service)."""
    memberships = active_memberships(user)
    return organisations_with_role(memberships, Role.GATEWAY_SCREENER) + organisations_with_role(
        memberships, Role.SERVICE_MANAGER
    )

"""Who reads deadlines and notifications."""

from django.db.models import Exists, OuterRef, Q

from accounts.models import Role
from accounts.policy import (
    NOTHING,
    active_memberships,
    administered_authority_ids,
    organisations_with_role,
)


def own_deadline_filter(user) -> Q:
    """The deadlines a user owns, or that an organisation role they hold owns."""
    memberships = active_memberships(user)
    if not memberships:
        return NOTHING
    combined = Q(owner_user=user)
    for membership in memberships:
        combined |= Q(owner_organisation=membership.organisation_id) & (
            Q(owner_role="") | Q(owner_role=membership.role)
        )
    return combined


def deadline_filter(user) -> Q:
    """A user sees their own deadlines; a service manager also sees every deadline of their
    service and of its members (the team's)."""
    memberships = active_memberships(user)
    combined = own_deadline_filter(user)
    managed = organisations_with_role(memberships, Role.SERVICE_MANAGER)
    if managed:
        from accounts.models import Membership

        team = Membership.objects.active().filter(
            user=OuterRef("owner_user"), organisation__in=managed
        )
        combined |= Q(owner_organisation__in=managed) | Q(Exists(team))
    return combined


def notification_filter(user) -> Q:
    """A user reads their own notifications; an LA administrator also sees (on the operations
    page) those of everyone working in their authority, without their content."""
    if not active_memberships(user):
        return NOTHING
    combined = Q(recipient=user)
    administered = administered_authority_ids(user)
    if administered:
        from accounts.models import Membership

        staff = (
            Membership.objects.active()
            .filter(user=OuterRef("recipient"))
            .filter(
                Q(organisation__local_authority__in=administered) | Q(organisation__in=administered)
            )
        )
        # E-mails its services sent to people with no account (parents) are its to watch too;
        # another authority's are not.
        combined |= Q(Exists(staff)) | Q(recipient__isnull=True, authority__in=administered)
    return combined

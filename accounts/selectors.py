"""Who holds a role where: the people a service tells."""

from django.db.models import Exists, OuterRef, Q

from accounts.models import Membership, OrganisationKind, Role, User


def people_with_role(role: str, **organisation) -> list:
    """Active users holding ``role`` in the organisations that match ``organisation`` (lookups
    on ``Organisation``: ``pk=…``, ``local_authority=…``), each once."""
    members = (
        Membership.objects.active()
        .filter(role=role, **{f"organisation__{k}": v for k, v in organisation.items()})
        .select_related("user")
    )
    return list({m.user_id: m.user for m in members if m.user.is_active}.values())


def virtual_school_officers(authority_id) -> list:
    """Seed 002: the virtual school of one authority, never another authority's. Which
    authority: the one looking after the child (``Pupil.looked_after_by``), else the one whose
    school they attend."""
    return people_with_role(
        Role.VIRTUAL_SCHOOL_OFFICER,
        kind=OrganisationKind.VIRTUAL_SCHOOL,
        local_authority=authority_id,
    )


def people_administered_by(actor):
    """The people an LA administrator manages: everyone with a membership, current or past, in
    one of their authority's organisations. Nobody of another authority."""
    from accounts.policy import administered_authority_ids

    authorities = administered_authority_ids(actor)
    if not authorities:
        return User.objects.none()
    ours = Membership.objects.filter(
        Q(organisation__local_authority__in=authorities) | Q(organisation__in=authorities),
        user=OuterRef("pk"),
    )
    return User.objects.filter(Exists(ours), is_system_account=False)

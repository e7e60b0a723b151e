"""Who reads pupils and schools. Every rule starts from the user's authority.

- school staff see the pupils currently on roll at the schools where they hold the role;
- the virtual school sees its own authority's looked-after and previously looked-after
  children (seed 002), at a school of any authority;
- service and gateway staff see the pupils they work with: the apps that hold that work
  (referrals, cases) say so with :func:`register_pupil_rule` and :func:`register_involvement`,
  so this app imports none of them;
- LA administrators configure the service and see no pupil detail.
"""

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q

from accounts.models import Membership, Role
from accounts.policy import (
    NOTHING,
    active_memberships,
    administered_authority_ids,
    authority_ids,
    organisations_with_role,
)

PupilRule = Callable[[list[Membership]], Q]
_pupil_rules: list[PupilRule] = []
_involvement: list[PupilRule] = []


def register_pupil_rule(rule: PupilRule) -> PupilRule:
    """Add a rule granting sight of pupils; later apps call this from ``AppConfig.ready``."""
    if rule not in _pupil_rules:
        _pupil_rules.append(rule)
    return rule


def register_involvement(rule: PupilRule) -> PupilRule:
    """Add a rule saying which pupils an organisation works with now (``rule(memberships)``
    is a ``Q`` on records with a ``pupil`` field): the referrals and casework apps register
    theirs, and the plans and exclusions rules read them through
    :func:`involved_with_pupil`."""
    if rule not in _involvement:
        _involvement.append(rule)
    return rule


def involved_with_pupil(memberships: list[Membership]) -> Q:
    """Records of a pupil (``pupil`` field) for the services and gateways working with the
    pupil now."""
    combined = NOTHING
    for rule in _involvement:
        combined |= rule(memberships)
    return combined


@register_pupil_rule
def pupils_on_roll_at_own_schools(memberships: list[Membership]) -> Q:
    from pupils.models import Enrolment

    schools = organisations_with_role(memberships, Role.SCHOOL_STAFF)
    if not schools:
        return NOTHING
    on_roll = Enrolment.objects.current().filter(
        pupil=OuterRef("pk"), school__organisation__in=schools
    )
    return Q(Exists(on_roll))


@register_pupil_rule
def looked_after_pupils_for_virtual_school(memberships: list[Membership]) -> Q:
    return virtual_school_cohort(memberships, pupil="pk")


def virtual_school_cohort(memberships: list[Membership], *, pupil: str = "pupil") -> Q:
    """Seed 002: the virtual school follows the looked-after and previously looked-after
    children of its own authority: those its authority looks after, at a school of any
    authority, and those with no authority recorded who attend one of its authority's
    schools. Never another authority's children at another authority's school. ``pupil``:
    the path from the records filtered to the pupil ("pk" for pupils themselves)."""
    from pupils.models import CareStatus, Enrolment

    authorities = {
        m.organisation.authority.pk
        for m in memberships
        if m.role == Role.VIRTUAL_SCHOOL_OFFICER and m.organisation.authority
    }
    if not authorities:
        return NOTHING
    prefix = "" if pupil == "pk" else f"{pupil}__"
    at_our_school = Enrolment.objects.current().filter(
        pupil=OuterRef(pupil), school__organisation__local_authority__in=authorities
    )
    ours = Q(**{f"{prefix}looked_after_by__in": authorities}) | (
        Q(**{f"{prefix}looked_after_by__isnull": True}) & Q(Exists(at_our_school))
    )
    return Q(**{f"{prefix}care_status__in": CareStatus.virtual_school_cohort()}) & ours


def pupil_filter(user) -> Q:
    memberships = active_memberships(user)
    if not memberships:
        return NOTHING
    combined = NOTHING
    for rule in _pupil_rules:
        combined |= rule(memberships)
    return combined


def school_filter(user) -> Q:
    """Every member of an authority's organisations sees that authority's school directory
    (names, URNs, phases); it holds no pupil data."""
    memberships = active_memberships(user)
    if not memberships:
        return NOTHING
    return Q(organisation__local_authority__in=authority_ids(memberships))


def subject_access_pupils(user):
    """For a subject access request only: an LA administrator may export everything held about
    a pupil who is, or was, on roll at one of the authority's schools. It is the one read of
    pupil content an administrator has, and every use is in the access log."""
    from pupils.models import Enrolment, Pupil

    authorities = administered_authority_ids(user)
    if not authorities:
        return Pupil.objects.none()
    enrolled = Enrolment.objects.filter(
        pupil=OuterRef("pk"), school__organisation__local_authority__in=authorities
    )
    return Pupil.objects.filter(Exists(enrolled))

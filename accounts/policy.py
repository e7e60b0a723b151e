"""The access policy: who may read what. Every user-dependent read goes through a model's
``visible_to(user)``, which asks this module for a filter. A record outside the filter answers 404.

Rules for pupils, in words:

- school staff see the pupils currently on roll at the schools where they hold the role;
- virtual school officers see looked-after and previously looked-after pupils at any school
  (seed 002: the virtual school head oversees the education of every CLA and PLA);
- service and gateway staff see pupils who have a referral or case with their organisation: the
  referrals and casework apps add those rules with :func:`register_pupil_rule`;
- LA administrators configure the service and see no pupil detail.

A record outside the filter answers 404, exactly as one that does not exist. A page for roles the
user does not hold, or an action on a record the user may see but whose role may not take, answers
403 (:class:`RoleMayNotAct`). The record is always looked up first, so a 403 never tells anybody
that a record they cannot see exists.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q

from accounts.models import Membership, OrganisationKind, Role

NOTHING = Q(pk__in=[])


class RoleMayNotAct(PermissionDenied):
    """403: the user's roles may not use this page or take this action."""


PupilRule = Callable[[list[Membership]], Q]
_pupil_rules: list[PupilRule] = []


def register_pupil_rule(rule: PupilRule) -> PupilRule:
    """Add a rule granting sight of pupils; later apps call this from ``AppConfig.ready``."""
    if rule not in _pupil_rules:
        _pupil_rules.append(rule)
    return rule


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


def belongs_to(user, organisation_id: int) -> bool:
    """Whether the user holds an active role at the organisation (a case's service, say)."""
    return any(m.organisation_id == organisation_id for m in active_memberships(user))


def organisations_with_role(memberships: list[Membership], *roles: Role) -> list[int]:
    return [m.organisation_id for m in memberships if m.role in roles]


def authority_ids(memberships: list[Membership]) -> set[int]:
    return {m.organisation.authority.pk for m in memberships}


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


def administers_any_authority(user) -> bool:
    return bool(administered_authority_ids(user))


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
    from referrals.models import ROUTED_STATUSES, Status

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


def screens_for(user) -> list[int]:
    """The organisations whose referrals the user screens: their gateways, and the services
    they manage (a type with no gateway is screened by its service)."""
    memberships = active_memberships(user)
    return organisations_with_role(memberships, Role.GATEWAY_SCREENER) + organisations_with_role(
        memberships, Role.SERVICE_MANAGER
    )


def case_filter(user) -> Q:
    """Who reads a case (issue: casework):

    - the service's own members (caseworkers and managers);
    - school staff, for cases of their schools, and the virtual school, for looked-after and
      previously looked-after pupils: but never a confidential (arm's-length) case (seed 004:
      the behaviour officer's files "are not shared with other departments"), and the virtual
      school never a sensitive one (harmful sexual behaviour), as for its referral.
    """

    memberships = active_memberships(user)
    if not memberships:
        return NOTHING
    combined = NOTHING
    services = organisations_with_role(memberships, Role.CASEWORKER, Role.SERVICE_MANAGER)
    if services:
        combined |= Q(service__in=services)
    schools = organisations_with_role(memberships, Role.SCHOOL_STAFF)
    if schools:
        combined |= Q(school__organisation__in=schools, confidential=False)
    if organisations_with_role(memberships, Role.VIRTUAL_SCHOOL_OFFICER):
        combined |= virtual_school_cohort(memberships) & Q(confidential=False, sensitive=False)
    return combined


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
    """A BIP is BOSS's until the case closes; then it is the school's legacy document too
    (seed 000)."""

    memberships = active_memberships(user)
    if not memberships:
        return NOTHING
    combined = NOTHING
    services = organisations_with_role(memberships, Role.CASEWORKER, Role.SERVICE_MANAGER)
    if services:
        combined |= Q(case__service__in=services)
    schools = organisations_with_role(memberships, Role.SCHOOL_STAFF)
    if schools:
        combined |= Q(school__organisation__in=schools, handed_to_school_on__isnull=False)
    combined |= virtual_school_cohort(memberships) & Q(
        case__confidential=False, case__sensitive=False
    )
    return combined


def timetable_filter(user) -> Q:
    """Part-time timetables: as plans, and also every one in the authority for the service that
    monitors them (seed 003: "All Part-Time Tables implemented will be monitored by the
    service")."""
    from cases.models import ServiceSettings

    memberships = active_memberships(user)
    monitoring = ServiceSettings.objects.filter(
        monitors_part_time_timetables=True,
        service__in=[m.organisation_id for m in memberships],
    ).values("service__local_authority")
    return plan_filter(user) | Q(school__organisation__local_authority__in=monitoring)


def involved_with_pupil(memberships: list[Membership]) -> Q:
    """Records of a pupil (``pupil`` field) for those working with the pupil now: the gateway
    screening an open referral, and a service once the gateway has accepted a referral to it
    (or, for a kind with no gateway, once it is sent to the service to screen itself), or
    while it has an open case. A referral still waiting at the gateway shows the service
    nothing of the pupil."""
    from cases.models import Case
    from referrals.models import OPEN_STATUSES, Referral, Status

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
    cases = Case.objects.filter(service__in=services, status="open", pupil=OuterRef("pupil"))
    return Q(Exists(referrals)) | Q(Exists(cases))


def exclusion_filter(user) -> Q:
    """Exclusions are seen by the pupil's school, by the authority's exclusions officers (the
    register of every exclusion of its schools), by the virtual school for looked-after and
    previously looked-after pupils (seed 002), and by services working with the pupil (the
    behaviour officer supporting the parent, seed 004)."""

    memberships = active_memberships(user)
    if not memberships:
        return NOTHING
    combined = involved_with_pupil(memberships)
    schools = organisations_with_role(memberships, Role.SCHOOL_STAFF)
    if schools:
        combined |= Q(school__organisation__in=schools)
    officers = organisations_with_role(memberships, Role.EXCLUSIONS_OFFICER, Role.LA_MANAGER)
    if officers:
        combined |= Q(school__organisation__local_authority__in=officers)
    combined |= virtual_school_cohort(memberships)
    return combined


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

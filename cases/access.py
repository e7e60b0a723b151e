"""Who reads a case, and who may act on one or on a quarterly review: the checks the services
make, and the pages ask before offering an action."""

from django.db.models import Exists, OuterRef, Q

from accounts.models import Membership, Role
from accounts.policy import NOTHING, active_memberships, organisations_with_role
from cases.models import Case, CaseStatus, Review
from pupils.access import virtual_school_cohort


def case_filter(user) -> Q:
    """Who reads a case (issue: casework):

    - the service's own members (caseworkers and managers);
    - school staff, for cases of their schools, and the virtual school, for looked-after and
      previously looked-after pupils: but never a confidential (arm's-length) case (seed 004:
      the behaviour officer's files "are not shared with other departments"), and the virtual
      school never a sensitive one (harmful sexual behaviour), as for its referral;
    - the LA manager, for the figures of the authority's services: the same exceptions.
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
    la_managed = organisations_with_role(memberships, Role.LA_MANAGER)
    if la_managed:
        # The LA manager reads the authority's services' cases for its figures, as it does
        # their referrals: never an arm's-length service's, nor a sensitive one.
        combined |= Q(service__local_authority__in=la_managed, confidential=False,
                      sensitive=False)  # fmt: skip
    return combined


def involved_through_cases(memberships: list[Membership]) -> Q:
    """A service works with the pupils of its open cases."""
    services = organisations_with_role(memberships, Role.CASEWORKER, Role.SERVICE_MANAGER)
    if not services:
        return NOTHING
    return Q(Exists(Case.objects.filter(service__in=services, status=CaseStatus.OPEN,
                                        pupil=OuterRef("pupil"))))  # fmt: skip


def timetables_monitored(memberships: list[Membership]):
    """The authorities whose part-time timetables the user's service monitors (seed 003)."""
    from cases.models import ServiceSettings

    return ServiceSettings.objects.filter(
        monitors_part_time_timetables=True,
        service__in=[m.organisation_id for m in memberships],
    ).values_list("service__local_authority", flat=True)


def works_case(user, case: Case, *, manager: bool = False) -> bool:
    """A member of the service working the case (a manager, where ``manager``)."""
    roles = {Role.SERVICE_MANAGER} if manager else {Role.CASEWORKER, Role.SERVICE_MANAGER}
    return any(
        m.organisation_id == case.service_id and m.role in roles for m in active_memberships(user)
    )


def can_decide_review(user, review: Review) -> bool:
    """Seed 004: each open referral is revisited every three months by the people working it:
    a case's review by its service, a waiting referral's by the gateway that screens it (or,
    with no gateway, its service's managers). Reading a referral is not enough."""
    from referrals.access import can_screen

    if review.case_id:
        return works_case(user, review.case)
    return can_screen(user, review.referral)

"""Who may act on a case or a quarterly review: the checks the services make, and the pages ask
before offering an action."""

from accounts.models import Role
from accounts.policy import active_memberships
from cases.models import Case, Review


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

"""Who may act on a referral: the checks its services make, and its pages ask before offering
an action."""

from accounts.policy import screens_for
from referrals.models import Referral


def can_screen(user, referral: Referral) -> bool:
    """The gateway that received the referral screens it; a type with no gateway is screened
    by its service's managers (seed 000: "All referrals for BOSS support must be made to
    PRT")."""
    return (referral.gateway_id or referral.service_id) in screens_for(user)

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from referrals.models import Redirection, Referral, ReferralType, Status
from referrals.selectors import checklist_items
from tests.pupils.factories import PupilFactory


class ReferralTypeFactory(DjangoModelFactory):
    class Meta:
        model = ReferralType

    code = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"Referral type {n}")
    allocation_target_weeks = 2


class ReferralDraftFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    pupil = factory.SubFactory(PupilFactory)
    service = factory.SelfAttribute("referral_type.service")
    gateway = factory.SelfAttribute("referral_type.gateway")
    sensitive = factory.SelfAttribute("referral_type.sensitive")
    reason = "Repeated incidents of disruption in lessons."
    consent_given_by = "Jo Smith (mother)"
    consent_given_on = factory.LazyFunction(timezone.localdate)
    consent_method = "phone"
    status = Status.DRAFT


class ReferralSubmittedFactory(ReferralDraftFactory):
    status = Status.SUBMITTED
    reference = factory.Sequence(lambda n: f"REF-2026-{900000 + n:06d}")
    submitted_at = factory.LazyFunction(timezone.now)


class ReferralMoreInformationFactory(ReferralSubmittedFactory):
    """Sent back to the school by the gateway with a question (seed 000)."""

    status = Status.MORE_INFORMATION
    question = "Please attach the Pastoral Support Plan and its latest review."


class ReferralAcceptedFactory(ReferralSubmittedFactory):
    status = Status.ACCEPTED
    decided_at = factory.LazyFunction(timezone.now)


class ReferralDeclinedFactory(ReferralSubmittedFactory):
    status = Status.DECLINED
    decided_at = factory.LazyFunction(timezone.now)
    decision_reason = "The school has not yet tried a Pastoral Support Plan."


class ReferralRedirectedFactory(ReferralSubmittedFactory):
    status = Status.REDIRECTED
    decided_at = factory.LazyFunction(timezone.now)
    decision_reason = "An Early Help assessment fits the family's needs better."
    redirection = Redirection.EARLY_HELP


class ReferralWithdrawnFactory(ReferralSubmittedFactory):
    status = Status.WITHDRAWN
    decision_reason = "The pupil has moved school."


class ReferralAllocatedFactory(ReferralAcceptedFactory):
    status = Status.ALLOCATED
    allocated_at = factory.LazyFunction(timezone.now)
    allocation_target_met = True


class ReferralClosedFactory(ReferralAllocatedFactory):
    """Its last case has closed."""

    status = Status.CLOSED


def checklist_ticked(referral) -> dict:
    """The gateway's completeness checklist with every item ticked, as a screener who has
    found the referral complete sends it."""
    return {key: True for key, _ in checklist_items(referral)}

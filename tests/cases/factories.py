import datetime

import factory
from factory.django import DjangoModelFactory

from cases.models import Case, CaseStatus, ClosureReason, Contact, ServiceSettings
from tests.referrals.factories import ReferralAllocatedFactory, ReferralClosedFactory


class ServiceSettingsFactory(DjangoModelFactory):
    class Meta:
        model = ServiceSettings
        django_get_or_create = ["service"]


class CaseOpenFactory(DjangoModelFactory):
    class Meta:
        model = Case

    referral = factory.SubFactory(ReferralAllocatedFactory)
    pupil = factory.SelfAttribute("referral.pupil")
    service = factory.SelfAttribute("referral.service")
    school = factory.SelfAttribute("referral.school")
    status = CaseStatus.OPEN
    opened_on = datetime.date(2026, 1, 12)


class CaseClosedFactory(CaseOpenFactory):
    referral = factory.SubFactory(ReferralClosedFactory)
    status = CaseStatus.CLOSED
    closed_on = datetime.date(2026, 5, 22)
    closure_reason = ClosureReason.RISK_REDUCED
    closure_note = "Attending every lesson for six weeks."


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    date = datetime.date(2026, 2, 2)
    kind = "school_visit"
    participants = "SENCO, class teacher"
    duration_minutes = 60
    notes = "Observed two lessons; agreed a check-in each morning."

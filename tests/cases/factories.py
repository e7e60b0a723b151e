import datetime

import factory
from factory.django import DjangoModelFactory

from cases.models import Case, CaseStatus, Contact, ServiceSettings
from tests.referrals.factories import ReferralAcceptedFactory


class ServiceSettingsFactory(DjangoModelFactory):
    class Meta:
        model = ServiceSettings
        django_get_or_create = ["service"]


class CaseOpenFactory(DjangoModelFactory):
    class Meta:
        model = Case

    referral = factory.SubFactory(ReferralAcceptedFactory, status="allocated")
    pupil = factory.SelfAttribute("referral.pupil")
    service = factory.SelfAttribute("referral.service")
    school = factory.SelfAttribute("referral.school")
    status = CaseStatus.OPEN
    opened_on = datetime.date(2026, 1, 12)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    date = datetime.date(2026, 2, 2)
    kind = "school_visit"
    participants = "SENCO, class teacher"
    duration_minutes = 60
    notes = "Observed two lessons; agreed a check-in each morning."

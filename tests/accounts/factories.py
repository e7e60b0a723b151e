import factory
from factory.django import DjangoModelFactory

from accounts.models import Membership, Organisation, OrganisationKind, Role, User

factory.Faker._DEFAULT_LOCALE = "en_GB"

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@council.example")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class LocalAuthorityFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    kind = OrganisationKind.LOCAL_AUTHORITY
    code = factory.Sequence(lambda n: f"la-{n}")
    la_number = "873"
    local_authority = None


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Service {n}")
    kind = OrganisationKind.SERVICE
    code = factory.Sequence(lambda n: f"org-{n}")
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class GatewayFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Pupil Referral Team {n}")
    kind = OrganisationKind.GATEWAY


class VirtualSchoolFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Virtual School {n}")
    kind = OrganisationKind.VIRTUAL_SCHOOL


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.CASEWORKER

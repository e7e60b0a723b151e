import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from stdnum.gb import upn as upn_rules

from accounts.models import OrganisationKind
from pupils.models import (
    CareStatus,
    Enrolment,
    Gender,
    ImportJob,
    ImportKind,
    ImportStatus,
    Phase,
    Pupil,
    PupilContact,
    Relationship,
    School,
    SchoolType,
)
from tests.accounts.factories import LocalAuthorityFactory, OrganisationFactory, UserFactory


def valid_upn(n: int) -> str:
    body = f"873{2000 + n // 1000:04d}26{n % 1000:03d}"
    return upn_rules.calc_check_digit(body) + body


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Oakfield Primary School {n}")
    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.SCHOOL,
        name=factory.SelfAttribute("..name"),
        local_authority=factory.SubFactory(LocalAuthorityFactory),
    )
    urn = factory.Sequence(lambda n: f"{100000 + n}")
    establishment_number = factory.Sequence(lambda n: f"{2000 + n % 8000:04d}")
    phase = Phase.PRIMARY
    school_type = SchoolType.MAINTAINED


class PupilFactory(DjangoModelFactory):
    class Meta:
        model = Pupil

    upn = factory.Sequence(valid_upn)
    legal_first_name = factory.Faker("first_name")
    legal_last_name = factory.Faker("last_name")
    date_of_birth = datetime.date(2016, 3, 14)
    gender = Gender.FEMALE
    care_status = CareStatus.NONE


class LookedAfterPupilFactory(PupilFactory):
    care_status = CareStatus.LOOKED_AFTER


class PreviouslyLookedAfterPupilFactory(PupilFactory):
    care_status = CareStatus.PREVIOUSLY_LOOKED_AFTER


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SubFactory(SchoolFactory)
    start_date = datetime.date(2023, 9, 1)


class EnrolmentEndedFactory(EnrolmentFactory):
    end_date = datetime.date(2025, 7, 18)


def pupil_at(school: School, factory_class=PupilFactory, **fields) -> Pupil:
    pupil = factory_class(**fields)
    EnrolmentFactory(pupil=pupil, school=school)
    return pupil


class PupilContactFactory(DjangoModelFactory):
    class Meta:
        model = PupilContact

    pupil = factory.SubFactory(PupilFactory)
    relationship = Relationship.PARENT_CARER
    name = factory.Faker("name")
    has_parental_responsibility = True
    email = factory.Faker("email")


class ImportJobQueuedFactory(DjangoModelFactory):
    """A looked-after children return waiting for the worker."""

    class Meta:
        model = ImportJob

    kind = ImportKind.LOOKED_AFTER
    authority = factory.SubFactory(LocalAuthorityFactory)
    started_by = factory.SubFactory(UserFactory)
    status = ImportStatus.QUEUED


class ImportJobRunningFactory(ImportJobQueuedFactory):
    status = ImportStatus.RUNNING
    total = 120


class ImportJobDoneFactory(ImportJobQueuedFactory):
    status = ImportStatus.DONE
    total = 1
    report = factory.List([factory.Dict({"outcome": "created", "name": "Riley Smith"})])
    finished_at = factory.LazyFunction(timezone.now)


class ImportJobRefusedFactory(ImportJobQueuedFactory):
    status = ImportStatus.REFUSED
    problems = factory.List(["Line 3: the episode's start date is not a real date."])
    finished_at = factory.LazyFunction(timezone.now)


class ImportJobFailedFactory(ImportJobQueuedFactory):
    status = ImportStatus.FAILED
    problems = factory.List(["The import stopped with an error of ours: nothing was changed."])
    finished_at = factory.LazyFunction(timezone.now)

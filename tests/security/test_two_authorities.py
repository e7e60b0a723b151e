"""Tenancy: two authorities in one installation. Every role of the second authority, in
organisations named as the first's are (its own BOSS, PRT and virtual school), sees none of the
first authority's records, through any model's ``visible_to`` or any URL that names a record;
the first authority's people see their own. A model with ``visible_to`` that this matrix does not
cover fails the first test."""

import pytest
from django.apps import apps

from accounts.models import OrganisationKind, Role
from audit.models import AccessLog
from tests.accounts.factories import (
    GatewayFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VirtualSchoolFactory,
)
from tests.pupils.factories import SchoolFactory, pupil_at
from tests.security.test_records_matrix import MATRIX, path_for, record_urls, world  # noqa: F401

pytestmark = pytest.mark.django_db

# model: (the record of the first authority, who there may see it)
MODELS = {
    "accounts.Membership": ("membership", "la_admin"),
    "pupils.School": ("school", "school"),
    "pupils.Pupil": ("pupil", "school"),
    "referrals.Referral": ("referral", "screener"),
    "cases.Case": ("case", "caseworker"),
    "cases.Review": ("review", "boss_manager"),
    "plans.PastoralSupportPlan": ("psp", "school"),
    "plans.BehaviourImprovementPlan": ("bip", "caseworker"),
    "plans.PartTimeTimetable": ("timetable", "school"),
    "plans.RiskAssessment": ("risk", "school"),
    "plans.PepMeeting": ("pep", "school"),
    "exclusions.Exclusion": ("exclusion", "school"),
    "deadlines.Deadline": ("deadline", "school"),
    "deadlines.Notification": ("notification", "school"),
    "audit.AccessLog": ("access_log", "la_admin"),
    "pupils.ImportJob": ("import_job", "vs_officer"),
    "pupils.PupilMerge": ("merge", "la_admin"),
}


def models_with_visible_to() -> set[str]:
    return {
        model._meta.label
        for model in apps.get_models()
        if hasattr(model._default_manager, "visible_to")
    }


def test_every_model_with_visible_to_is_in_the_matrix():
    assert models_with_visible_to() == set(MODELS)


@pytest.fixture
def first(world, school):  # noqa: F811  (the records matrix's fixture)
    """The records matrix's world, with the records its URLs do not name."""
    people = world["people"]
    records = dict(world["records"])
    records["membership"] = people["school"].memberships.get().pk
    records["school"] = school.pk
    records["access_log"] = AccessLog.objects.create(
        user=people["school"], pupil_id=records["pupil"], page="pupil summary", path="/",
        authority=school.organisation.local_authority, organisation=school.organisation,
    ).pk  # fmt: skip
    return {"people": people, "records": records}


@pytest.fixture
def second():
    """One person in every role of a second authority, in organisations like the first's."""
    authority = LocalAuthorityFactory(name="Second Borough Council", la_number="874")

    def service(code):
        return OrganisationFactory(
            code=f"{code}-2", name=code.upper(), kind=OrganisationKind.SERVICE,
            local_authority=authority,
        )  # fmt: skip

    school = SchoolFactory(organisation__local_authority=authority)
    pupil_at(school)
    where = {
        Role.SCHOOL_STAFF: school.organisation,
        Role.GATEWAY_SCREENER: GatewayFactory(code="prt-2", name="PRT", local_authority=authority),
        Role.CASEWORKER: service("boss"),
        Role.SERVICE_MANAGER: service("bass"),
        Role.VIRTUAL_SCHOOL_OFFICER: VirtualSchoolFactory(local_authority=authority),
        Role.LA_ADMINISTRATOR: authority,
        Role.EXCLUSIONS_OFFICER: authority,
        Role.LA_MANAGER: authority,
    }
    people = {}
    for role, organisation in where.items():
        people[role] = UserFactory()
        MembershipFactory(user=people[role], organisation=organisation, role=role)
    return people


def test_the_first_authority_sees_its_own_records(first):
    for label, (record, who) in MODELS.items():
        model = apps.get_model(label)
        visible = model._default_manager.visible_to(first["people"][who])
        assert visible.filter(pk=first["records"][record]).exists(), (label, who)


@pytest.mark.parametrize("role", Role.values)
def test_no_role_of_another_authority_sees_a_record(first, second, role):
    user = second[role]
    seen = [
        label
        for label, (record, _) in MODELS.items()
        if apps.get_model(label)._default_manager.visible_to(user)
        .filter(pk=first["records"][record])
        .exists()
    ]  # fmt: skip
    assert seen == []


@pytest.mark.parametrize("role", Role.values)
def test_no_role_of_another_authority_opens_a_record_s_page(first, second, client_for, role):
    client = client_for(second[role])
    opened = []
    for name, route in record_urls():
        record, _, method = MATRIX[name]
        if record == "year":  # a school year is everyone's: the page edits the user's own dates
            continue
        response = getattr(client, method)(path_for(route, first["records"][record]))
        if response.status_code not in {403, 404}:
            opened.append((name, response.status_code))
    assert opened == []
    assert not AccessLog.objects.filter(user=second[role]).exists()

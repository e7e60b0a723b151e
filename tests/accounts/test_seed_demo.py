import pytest
from django.core.management import call_command
from stdnum.gb import upn as upn_rules

from accounts.models import Membership, Organisation, Role, User
from deadlines.models import InsetDay, Term
from pupils.models import CareStatus, Enrolment, Phase, Pupil, PupilContact, School

pytestmark = pytest.mark.django_db

MODELS = [Organisation, User, Membership, School, Pupil, Enrolment, PupilContact, Term, InsetDay]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_twice_gives_the_same_counts():
    call_command("seed_demo", pupils=300)
    first = counts()
    call_command("seed_demo", pupils=300)
    assert counts() == first
    assert first["School"] == 40
    assert first["Pupil"] == 300
    assert first["Term"] == 12  # six half terms, this and next academic year


def test_seed_demo_has_every_phase_every_role_and_valid_upns():
    call_command("seed_demo", pupils=200)
    assert set(School.objects.values_list("phase", flat=True)) == set(Phase.values)
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert all(upn_rules.is_valid(upn) for upn in Pupil.objects.values_list("upn", flat=True))
    assert Pupil.objects.filter(care_status=CareStatus.LOOKED_AFTER).exists()
    senco = User.objects.get(email="senco@northmoor.example")
    assert senco.memberships.filter(role=Role.SCHOOL_STAFF).count() == 2
    assert senco.check_password("demo-password-2026")

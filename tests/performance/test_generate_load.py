"""The benchmark's data set: the shape the performance issue asks for, at a small size."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from cases.models import Case, Contact
from deadlines.codes import KindCode
from deadlines.models import Deadline
from deadlines.services.deadlines import step_date
from exclusions.models import Exclusion
from pupils.models import Pupil
from referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_the_load_has_the_shape_of_a_large_authority_scaled_down():
    call_command("generate_load", pupils=1000, schools=5)
    assert Pupil.objects.count() == 1000
    assert Referral.objects.count() == 300
    assert Case.objects.count() == 100
    assert Exclusion.objects.count() == 200
    # One case in a hundred, the first pupil's here, has 200 contacts; the rest 20 each.
    first_pupil = Pupil.objects.order_by("pk").first()
    assert list(Case.objects.filter(contact_count=200).values_list("pupil", flat=True)) == [
        first_pupil.pk
    ]
    assert Contact.objects.count() == 99 * 20 + 1 * 200
    counted = Case.objects.annotate(n=Count("contacts")).filter(n=F("contact_count")).count()
    assert counted == 100
    open_cases = Case.objects.filter(status="open").count()
    assert open_cases > 0
    deadlines = Deadline.objects.filter(kind__code=KindCode.BOSS_MAXIMUM_INVOLVEMENT)
    assert deadlines.count() == open_cases
    # Each next reminder is a step of the deadline, counted as the reminder sweep counts it.
    for deadline in deadlines.select_related("kind", "school__organisation")[:5]:
        steps = {step_date(deadline, step) for step in deadline.kind.steps.all()}
        assert deadline.next_reminder_on in steps | {None}
    assert Pupil.objects.values("legal_last_name").distinct().count() > 400


def test_a_second_run_of_the_same_size_adds_nothing():
    call_command("generate_load", pupils=200, schools=5)
    call_command("generate_load", pupils=200, schools=5)
    assert Pupil.objects.count() == 200

"""The benchmark's data set: the shape the performance issue asks for, at a small size."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.urls import reverse

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


def test_the_pupil_of_the_long_case_has_fifty_entries_on_their_timeline():
    from pupils.timeline import timeline_for
    from reporting.management.commands.generate_load import bench_manager

    call_command("generate_load", pupils=1000, schools=5)
    pupil = Case.objects.get(contact_count=200).pupil
    entries = timeline_for(bench_manager(), pupil)
    assert len(entries) == 50
    assert len({entry.at for entry in entries}) == 50  # a day apart, not all at one moment
    # Each app's entries as the pupil page shows them: what happened to which record, who did
    # it, its note, and a link to the record.
    case = Case.objects.select_related("referral__referral_type", "service", "caseworker").get(
        contact_count=200
    )
    exclusion = Exclusion.objects.filter(pupil=pupil).first()
    by_title = {entry.title: entry for entry in entries}
    submitted = by_title[f"Referral submitted: {case.referral.referral_type.name}"]
    assert submitted.description == f"{case.referral.reference}. Load test"
    assert submitted.url == reverse("referrals:detail", args=[case.referral.pk])
    assert submitted.byline == case.caseworker.full_name
    opened = by_title[f"Case opened: {case.service.name}"]
    assert (opened.url, opened.description) == (reverse("cases:detail", args=[case.pk]), "")
    notified = by_title["Suspension: Notified"]
    assert notified.url == reverse("exclusions:detail", args=[exclusion.pk])
    assert notified.description == "Load test"
    # A case's other steps (a meeting, a review) are its chronology's, not the timeline's.
    from cases.models import CaseActivity

    CaseActivity.objects.create(case=case, kind="meeting", actor=case.caseworker)
    assert len(timeline_for(bench_manager(), pupil)) == 50
    others = Pupil.objects.exclude(pk=pupil.pk).filter(referrals__activities__isnull=False)
    assert not others.exists()  # the long case's pupil alone
    call_command("generate_load", pupils=1000, schools=5)  # a second run adds none
    assert len(timeline_for(bench_manager(), pupil)) == 50


def test_every_floor_of_the_benchmark_runs_on_the_load():
    """Each page's hand-written floor is valid SQL on the load's tables (a small load may leave
    a list empty); the pupil page's finds the pupil's fifty timeline entries."""
    from django.db import connection

    from reporting.management.commands.bench import Command

    call_command("generate_load", pupils=1000, schools=5)
    for name, _user, _url, sql, params in Command().cases():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if name.startswith("A pupil's page"):
            assert name == "A pupil's page (50 timeline entries)"
            assert len(rows[0][-1]) == 50  # the timeline, the floor's last column

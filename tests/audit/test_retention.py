import datetime

import pghistory.models
import pytest

from audit.models import RetentionRule, RetentionRun
from audit.retention import ANONYMISED, apply_retention
from cases.models import Contact
from pupils.models import Pupil, Relationship
from tests.cases.factories import CaseClosedFactory, ContactFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import ReferralAllocatedFactory

D = datetime.date
TODAY = D(2026, 11, 23)
pytestmark = pytest.mark.django_db


def closed_case(types, school, caseworker, born):
    pupil = pupil_at(school, date_of_birth=born, legal_first_name="Jamie")
    pupil.contacts.create(relationship=Relationship.PARENT_CARER, name="A Parent")
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil, school=school, reason="Private reason"
    )
    case = CaseClosedFactory(referral=referral, caseworker=caseworker,
                           closed_on=D(2020, 7, 1))  # fmt: skip
    ContactFactory(case=case, recorded_by=caseworker, notes="Private notes")
    return pupil


def test_a_dry_run_reports_then_a_run_anonymises_only_past_the_limit(types, school, member, orgs):
    from accounts.models import Role

    RetentionRule.objects.get_or_create(record_kind="case", defaults={"keep_until_age": 25})
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    older = closed_case(types, school, caseworker, born=D(2001, 11, 23))  # 25 today
    younger = closed_case(types, school, caseworker, born=D(2001, 11, 24))  # 25 tomorrow
    dry = apply_retention(None, dry_run=True, today=TODAY)
    assert dry.pupils == [older.pk]
    older.refresh_from_db()
    assert older.legal_first_name == "Jamie"
    run = apply_retention(None, dry_run=False, today=TODAY)
    assert run.pupils == [older.pk]
    older.refresh_from_db()
    younger.refresh_from_db()
    assert older.legal_first_name == ANONYMISED and older.date_of_birth == D(2001, 1, 1)
    assert not older.contacts.exists()
    assert set(Contact.objects.filter(case__pupil=older).values_list("notes", flat=True)) == {
        "[removed]"
    }
    assert older.referrals.get().reason == ""
    assert younger.legal_first_name == "Jamie" and younger.referrals.get().reason
    history = pghistory.models.Events.objects.tracks(Pupil.objects.get(pk=older.pk))
    assert history.filter(pgh_context__action="apply_retention").exists()
    assert RetentionRun.objects.count() == 2
    assert apply_retention(None, dry_run=True, today=TODAY).pupils == []  # done once


def test_erasure_anonymises_and_keeps_the_reason(types, school, member, orgs):
    from accounts.models import Role
    from audit.retention import erase_pupil
    from config.errors import DomainError

    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    admin = member(Role.LA_ADMINISTRATOR)
    pupil = closed_case(types, school, caseworker, born=D(2015, 5, 5))
    with pytest.raises(DomainError, match="Enter why"):
        erase_pupil(admin, pupil, reason=" ")
    erase_pupil(admin, pupil, reason="Court order 2026/77")
    pupil.refresh_from_db()
    assert pupil.legal_first_name == ANONYMISED
    event = (
        pghistory.models.Events.objects.tracks(pupil)
        .filter(pgh_context__action="erase_pupil")
        .get()
    )
    assert event.pgh_context["erasure_reason"] == "Court order 2026/77"
    assert event.pgh_context["user"] == admin.pk


def test_erasure_leaves_the_pupil_identifiable_nowhere_history_included(member, authority):
    """The hole: anonymising rewrote live rows, but the history tables kept the UPN, the names
    and the reasons, and plans, exclusions, documents and activity notes were never touched.
    After erasure, every text column of every table is searched for what identified the
    pupil. The world comes from the blast-radius test: a pupil with a referral, a case with
    contacts, actions, a meeting and a BIP, a PSP, a timetable, a risk assessment, a PEP
    meeting, a suspension, deadlines and reminders, each through the services."""
    import time_machine
    from django.apps import apps
    from django.db import models

    from audit.retention import erase_pupil
    from tests.integrity.worlds import TODAY as WORLD_DAY
    from tests.integrity.worlds import build_world

    with time_machine.travel(WORLD_DAY, tick=False):
        world = build_world("erasure")
    secrets = {}
    for key in ("case", "plans", "suspended"):
        pupil = world.pupils[key]
        secrets[pupil.pk] = {pupil.upn, f"{pupil.legal_first_name} {pupil.legal_last_name}"}
    for key in ("case", "plans", "suspended"):
        erase_pupil(world.admin, world.pupils[key], reason="The family asked, art. 17")

    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed or model._meta.proxy:
            continue  # pghistory's union view of every history table
        texts = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, (models.CharField, models.TextField))]  # fmt: skip
        for column in texts:
            for words in set().union(*secrets.values()):
                count = model._base_manager.filter(**{f"{column}__icontains": words}).count()
                if count:
                    found.append(f"{model._meta.db_table}.{column} holds {words!r} ({count})")
    assert not found, "\n".join(found)

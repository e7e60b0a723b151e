import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from audit.models import AccessLog
from pupils.models import Relationship
from referrals import services as referral_services
from tests.cases.factories import CaseOpenFactory, ContactFactory
from tests.exclusions.factories import SuspensionFactory
from tests.plans.factories import PspActiveFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import ReferralAllocatedFactory

pytestmark = pytest.mark.django_db


def records_for(pupil, types, school, senco, caseworker, note):
    pupil.contacts.create(relationship=Relationship.PARENT_CARER, name=f"Parent of {note}")
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil, school=school, reason=f"Reason {note}"
    )
    case = CaseOpenFactory(referral=referral, caseworker=caseworker)
    ContactFactory(case=case, recorded_by=caseworker, notes=f"Notes {note}")
    PspActiveFactory(pupil=pupil, school=school, created_by=senco, areas_of_concern=note)
    SuspensionFactory(pupil=pupil, school=school, created_by=senco, description=f"Exclusion {note}")
    return referral


def test_the_archive_holds_every_kind_of_record_and_nothing_of_another_pupil(
    client_for, member, types, school, orgs
):
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    admin = member(Role.LA_ADMINISTRATOR)
    pupil, other = pupil_at(school), pupil_at(school)
    referral = records_for(pupil, types, school, senco, caseworker, "MINE")
    records_for(other, types, school, senco, caseworker, "THEIRS")
    referral.status = "draft"  # documents are added to an open referral
    referral.save()
    referral_services.attach_document(
        senco, referral, kind="psp", upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan")
    )
    client_for(senco).get(reverse("pupils:detail", args=[pupil.pk]))  # a view, to be listed
    response = client_for(admin).post(
        reverse("audit:subject-access"),
        {"upn": pupil.upn.lower(), "reason": "SAR-2026-014", "redact": "on"},
    )
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {"index.html", "pupil.json", "referrals.json", "cases.json", "exclusions.json",
            "contacts.json", "access_log.json"} <= names  # fmt: skip
    assert any(name.startswith("plans/") for name in names)
    assert any(name.startswith("documents/") for name in names)
    everything = b"".join(archive.read(name) for name in names if name.endswith(".json"))
    assert b"MINE" in everything and b"THEIRS" not in everything
    contacts = json.loads(archive.read("contacts.json"))
    assert contacts[0]["name"] == "[redacted]"
    cases = json.loads(archive.read("cases.json"))
    assert cases[0]["contacts"][0]["notes"] == "Notes MINE"
    log = AccessLog.objects.filter(user=admin).get()
    assert (log.kind, log.pupil, log.reason) == ("export", pupil, "SAR-2026-014")


def test_only_la_administrators_make_subject_access_requests(client_for, member):
    senco = member(Role.SCHOOL_STAFF)
    assert client_for(senco).get(reverse("audit:subject-access")).status_code == 403


def test_erasure_needs_a_reason_and_a_confirmation(client_for, member, school):
    admin = member(Role.LA_ADMINISTRATOR)
    pupil = pupil_at(school)
    client = client_for(admin)
    unconfirmed = client.post(reverse("audit:erasure"), {"upn": pupil.upn, "reason": "Order"})
    assert "Confirm that you understand this cannot be undone" in unconfirmed.content.decode()
    done = client.post(
        reverse("audit:erasure"), {"upn": pupil.upn, "reason": "Order", "confirm": "on"}
    )
    assert done.status_code == 302
    pupil.refresh_from_db()
    assert pupil.legal_first_name == "Anonymised"


def test_a_pupil_of_another_authority_is_not_found_and_said_so_by_the_field(
    client_for, member, school
):
    from tests.accounts.factories import LocalAuthorityFactory
    from tests.pupils.factories import SchoolFactory

    admin = member(Role.LA_ADMINISTRATOR)
    elsewhere = pupil_at(SchoolFactory(organisation__local_authority=LocalAuthorityFactory()))
    client = client_for(admin)
    for name, extra in [("audit:subject-access", {}), ("audit:erasure", {"confirm": "on"})]:
        response = client.post(reverse(name), {"upn": elsewhere.upn, "reason": "R", **extra})
        assert response.status_code == 400, name
        page = response.content.decode()
        assert "No pupil with this UPN has been on roll in your authority" in page, name
        assert 'href="#id_upn"' in page, name  # the error summary links to the field
    elsewhere.refresh_from_db()
    assert elsewhere.legal_first_name != "Anonymised"
    assert not AccessLog.objects.filter(user=admin, kind="export").exists()

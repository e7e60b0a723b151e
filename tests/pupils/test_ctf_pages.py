"""The LA administrator loads a Common Transfer File from the menu, reads what became of each
pupil, and confirms the pupils whose names and date of birth alone matched a record."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from pupils import services
from pupils.models import ImportJob, ImportStatus, Pupil
from tests.pupils.ctf_files import Pupil as P
from tests.pupils.ctf_files import new_upn, transfer_file
from tests.pupils.factories import pupil_at
from tests.pupils.test_ctf import made

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(member, authority):
    return member(Role.LA_ADMINISTRATOR, organisation=authority)


def test_the_administrator_loads_a_file_and_confirms_a_match(admin, school, client_for, member):
    twin = pupil_at(school, legal_first_name="Amira", legal_last_name="Khan")
    client = client_for(admin)
    url = reverse("pupils:import-transfer-file")
    assert url in client.get(reverse("accounts:home")).content.decode()
    form = client.get(url).content.decode()
    assert "Common Transfer File" in form and "No file has been loaded yet" in form
    refused = client.post(url, {})
    assert (
        refused.status_code == 400 and "Choose the Common Transfer File" in refused.content.decode()
    )
    data = transfer_file(school, [
        P(new_upn(901), forename="Amira", surname="Khan", dob=twin.date_of_birth.isoformat()),
        P(new_upn(902), forename="Kofi", surname="Osei", sex="M"),
    ], made=made())  # fmt: skip
    sent = client.post(url, {"file": SimpleUploadedFile("873_CTF_873_001.xml", data)})
    job = ImportJob.objects.get()
    assert sent.status_code == 302 and sent.url == reverse("pupils:import", args=[job.pk])
    assert "Waiting to start" in client.get(sent.url).content.decode()
    job = services.run_import(job.pk)
    assert job.status == ImportStatus.DONE
    report = client.get(sent.url).content.decode()
    assert "2 pupils" in report and "New (1)" in report and "Match to confirm (1)" in report
    assert "New record, on roll at" in report
    assert "1 pupil to match" in client.get(reverse("accounts:home")).content.decode()
    confirm = reverse("pupils:import-confirm", args=[job.pk, job.report[0]["line"]])
    assert confirm in report
    only = client.get(sent.url, {"outcome": "to_confirm"}).content.decode()
    assert "Kofi" not in only and "Amira" in only
    page = client.get(confirm).content.decode()
    assert f"UPN {twin.upn}" in page and "A different child: add them as a new pupil" in page
    assert "---------" not in page and ">None<" not in page
    empty = client.post(confirm, {})
    assert empty.status_code == 400
    assert "Select the pupil&#x27;s record, or that they are a new pupil" in empty.content.decode()
    done = client.post(confirm, {"record": str(twin.pk)}, follow=True)
    assert "Amira Khan is matched" in done.content.decode()
    twin.refresh_from_db()
    assert twin.upn == new_upn(901)
    assert "to match" not in client.get(reverse("accounts:home")).content.decode()
    again = client.get(confirm, follow=True).content.decode()
    assert "This pupil has already been matched" in again
    assert Pupil.objects.count() == 2
    for role in (Role.VIRTUAL_SCHOOL_OFFICER, Role.SCHOOL_STAFF):
        other = client_for(member(role))
        assert other.get(url).status_code == 403
        assert other.get(sent.url).status_code in {403, 404}
        assert other.get(confirm).status_code in {403, 404}


def test_a_refused_file_lists_every_problem_on_its_page(admin, authority, school, client_for):
    data = transfer_file(school, [P("A000000000000"), P(new_upn(903), dob="2099-01-01")])
    job = services.queue_transfer_file(admin, authority=authority,
                                       upload=SimpleUploadedFile("ctf.xml", data))  # fmt: skip
    assert services.run_import(job.pk).status == ImportStatus.REFUSED
    page = client_for(admin).get(reverse("pupils:import", args=[job.pk])).content.decode()
    assert "Refused: nothing was changed" in page and "Correct the file and load it again" in page
    assert "UPN: A000000000000 is not a valid UPN" in page
    assert "DOB: 2099-01-01 is in the future" in page
    assert Pupil.objects.count() == 0


def test_a_files_details_are_forgotten_a_month_after_it_was_loaded(admin, authority, school):
    """An import's files hold every pupil's details: kept 30 days after it finished, for a
    person to confirm its matches, then forgotten (its report stays)."""
    import datetime

    from django.utils import timezone

    from config.errors import DomainError
    from pupils import transfers
    from pupils.models import ImportFile

    twin = pupil_at(school, legal_first_name="Amira", legal_last_name="Khan")
    data = transfer_file(school, [P(new_upn(904), forename="Amira", surname="Khan",
                                    dob=twin.date_of_birth.isoformat())], made=made())  # fmt: skip
    old, recent = (services.run_import(services.queue_transfer_file(
        admin, authority=authority, upload=SimpleUploadedFile("ctf.xml", data)).pk)
        for _ in range(2))  # fmt: skip
    ImportJob.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert services.purge_import_files() == 1
    assert list(ImportFile.objects.values_list("job", flat=True)) == [recent.pk]
    old.refresh_from_db()
    assert old.report[0]["outcome"] == "to_confirm"
    with pytest.raises(DomainError, match="no longer kept: load it again"):
        transfers.confirm_transfer_match(admin, old, line=old.report[0]["line"], pupil_id=None)

"""Every read of a pupil's personal data writes the access log in the same request: who, which
pupils, what, when; one insert for the whole request; more than 100 pupils through the API only
with a reason. The records matrix's ``world`` gives one record of each kind and its owner."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Role
from audit.models import AccessLog
from audit.reads import REASON_OVER
from tests.pupils.factories import pupil_at
from tests.security.test_records_matrix import MATRIX, path_for, record_urls, world  # noqa: F401

pytestmark = pytest.mark.django_db

# Records that hold no pupil's data, so their reads are not the access log's.
NO_PUPIL_DATA = {"api:webhook-detail": "a school system's webhook address"}
# Each URL of the records matrix that shows a record's contents, and what the log calls it.
LOGGED = {
    "pupils:detail": "pupil summary",
    "pupils:record-care": "care status record",
    "pupils:import-confirm": "match to confirm",
    "pupils:merge": "merging records",
    "deadlines:detail": "deadline",
    "referrals:detail": "referral",
    "referrals:screen": "screening a referral",
    "cases:allocate": "allocating a referral",
    "cases:detail": "case",
    "plans:psp": "Pastoral Support Plan",
    "plans:bip": "Behaviour Improvement Plan",
    "plans:timetable": "part-time timetable",
    "plans:risk-assessment": "risk assessment",
    "exclusions:detail": "suspension or exclusion",
    "exclusions:letter": "letter to parents",
    "exclusions:letter-download": "letter to parents",
    # Downloads are logged as downloads (audit.services.record_access).
    "plans:psp-download": "Pastoral Support Plan",
    "plans:bip-download": "Behaviour Improvement Plan",
    "plans:timetable-download": "part-time timetable",
    "plans:risk-download": "risk assessment",
    "referrals:document": None,
    **{
        name: None
        for name in MATRIX
        if name.startswith("api:") and name.endswith("-detail") and name not in NO_PUPIL_DATA
    },
}
# The rest name a record only to act on it: a form, or a confirmation, headed by the pupil's name
# that the user has just come from a logged page to reach. Listing them here is a decision: a new
# URL in the records matrix fails the test below until it is put in one list or the other.
ACTIONS = {name for name in MATRIX if name not in LOGGED and name not in NO_PUPIL_DATA}


def test_every_url_that_names_a_record_is_either_logged_or_an_action():
    names = {name for name, _ in record_urls()}
    assert names <= set(LOGGED) | ACTIONS | set(NO_PUPIL_DATA)
    # No page that shows a record whole is filed as an action.
    assert not {name for name in ACTIONS if name.endswith(("detail", "download"))}


def _pupil_of(record: str, records) -> int:
    from pupils.models import ImportJob
    from referrals.models import Referral

    if record in {"referral", "accepted"}:  # referrals of other pupils of the matrix
        return Referral.objects.get(pk=records[record]).pupil_id
    if record == "attachment":
        return Referral.objects.get(pk=records["attachment"][0]).pupil_id
    if record == "pupil_pair":
        return set(records["pupil_pair"])
    if record == "transfer_line":  # the record the file's pupil may be
        job_id, line = records["transfer_line"]
        report = ImportJob.objects.get(pk=job_id).report
        return next(e for e in report if e["line"] == line)["candidates"][0]
    return records["pupil"]


@pytest.mark.parametrize("name", sorted(LOGGED))
def test_each_read_writes_a_row_for_its_pupil(world, client_for, name):  # noqa: F811
    record, owner, _ = MATRIX[name]
    route = next(route for pattern, route in record_urls() if pattern == name)
    path = path_for(route, world["records"][record])
    user = world["people"][owner]
    response = client_for(user).get(path)
    assert response.status_code == 200, (name, response.status_code)
    rows = list(AccessLog.objects.filter(user=user))
    assert rows, f"{name} wrote no access-log row"
    expected = _pupil_of(record, world["records"])
    expected = expected if isinstance(expected, set) else {expected}
    assert {row.pupil_id for row in rows} == expected, name
    if LOGGED[name]:
        assert {row.page for row in rows} == {LOGGED[name]}
    assert all(row.path == path for row in rows)


def test_a_refused_read_writes_nothing(world, client_for):  # noqa: F811
    outsider = world["outsiders"][0]
    case_path = reverse("cases:detail", args=[world["records"]["case"]])
    api_path = reverse("api:case-detail", args=[world["records"]["case"]])
    assert client_for(outsider).get(case_path).status_code == 404
    assert client_for(outsider).get(api_path).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_list_of_many_pupils_is_one_insert(client_for, member, school):
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    pupils = [pupil_at(school, legal_last_name="Taylor") for _ in range(20)]
    client = client_for(senco)
    statements = []

    def record(execute, sql, *args):
        statements.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        response = client.get(reverse("pupils:search"), {"q": "Taylor"})
    assert response.status_code == 200
    inserts = [sql for sql in statements if "INSERT INTO audit_accesslog" in sql]
    assert len(inserts) == 1
    rows = AccessLog.objects.filter(user=senco, page="pupil search results")
    assert sorted(rows.values_list("pupil_id", flat=True)) == sorted(p.pk for p in pupils)


def test_reads_on_other_pages_are_not_logged_for_pupils_not_shown(client_for, member, school):
    """A search that finds nobody logs nobody; pupils not on the page are not in the log."""
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    shown = pupil_at(school, legal_last_name="Taylor")
    pupil_at(school, legal_last_name="Okafor")
    client = client_for(senco)
    client.get(reverse("pupils:search"), {"q": "Nobody"})
    assert not AccessLog.objects.exists()
    client.get(reverse("pupils:search"), {"q": "Taylor"})
    assert list(AccessLog.objects.values_list("pupil_id", flat=True)) == [shown.pk]


@pytest.fixture
def api_client(client, member, school):
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    _, key = account_services.issue_api_token(senco, senco, verified=True, name="Oak MIS")
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    client.senco = senco
    return client


def test_an_api_list_of_more_than_100_pupils_needs_a_reason(api_client, school):
    for _ in range(REASON_OVER + 1):
        pupil_at(school)
    url = reverse("api:pupil-list")
    refused = api_client.get(url, {"page_size": 500})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "reason"
    assert not AccessLog.objects.exists()
    # One page of 50 is fine without a reason, and is logged.
    assert api_client.get(url).status_code == 200
    assert AccessLog.objects.count() == 50
    AccessLog.objects.all().delete()
    allowed = api_client.get(url, {"page_size": 500, "reason": "Termly census check"})
    assert allowed.status_code == 200
    assert len(allowed.json()["results"]) == REASON_OVER + 1
    rows = AccessLog.objects.filter(user=api_client.senco)
    assert rows.count() == REASON_OVER + 1
    assert set(rows.values_list("reason", flat=True)) == {"Termly census check"}
    assert set(rows.values_list("page", flat=True)) == {"API pupil"}


def test_an_api_list_logs_only_the_page_it_returns(api_client, school):
    pupils = [pupil_at(school) for _ in range(3)]
    response = api_client.get(reverse("api:pupil-list"), {"page_size": 2})
    shown = {row["id"] for row in response.json()["results"]}
    assert len(shown) == 2
    assert set(AccessLog.objects.values_list("pupil_id", flat=True)) == shown
    assert shown < {p.pk for p in pupils}


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_log_is_committed(client_for, member, deadline_kinds):
    """The request's insert, a statement of its own outside any transaction, commits the rows:
    they are there for another connection to read."""
    from tests.pupils.factories import SchoolFactory

    school = SchoolFactory()
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    pupil = pupil_at(school)
    client_for(senco).get(reverse("pupils:detail", args=[pupil.pk]))
    assert list(AccessLog.objects.values_list("pupil_id", flat=True)) == [pupil.pk]


def test_the_access_log_is_written_outside_the_change_history_context(client_for, member, school):
    """The access log keeps no history of its own: its insert is sent alone, without the
    change-history context before it (which, outside a transaction, would cost a transaction
    of its own around the two: four statements for one)."""
    from unittest import mock

    from config.postgresql.base import Cursor

    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    pupil = pupil_at(school)
    client = client_for(senco)
    sent = []
    original = Cursor.execute

    def spy(cursor, query, params=None, **kwargs):
        sent.append(query.decode() if isinstance(query, bytes) else str(query))
        return original(cursor, query, params, **kwargs)

    with mock.patch.object(Cursor, "execute", spy):
        response = client.get(reverse("pupils:detail", args=[pupil.pk]))
    assert response.status_code == 200
    inserts = [sql for sql in sent if "INSERT INTO audit_accesslog" in sql]
    assert len(inserts) == 1
    assert "set_config" not in inserts[0]
    assert list(AccessLog.objects.values_list("pupil_id", flat=True)) == [pupil.pk]


def test_the_reader_of_a_logged_read_cannot_be_deleted_and_the_pupil_is_checked(
    client_for, member, school
):
    """The reader, their authority and organisation are protected by Django rather than by a
    constraint checked on every row; the pupil, different on each row, keeps its constraint."""
    from django.db import IntegrityError, transaction
    from django.db.models import ProtectedError

    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    pupil = pupil_at(school)
    client_for(senco).get(reverse("pupils:detail", args=[pupil.pk]))
    row = AccessLog.objects.get()
    for record in (senco, school.organisation, row.authority):
        with pytest.raises(ProtectedError) as refused:
            record.delete()
        assert row in refused.value.protected_objects  # the log row itself protects it
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).update(pupil_id=pupil.pk + 10**9)
        connection.check_constraints()
    pupil.delete()  # a pupil removed takes their log rows with them
    assert not AccessLog.objects.exists()

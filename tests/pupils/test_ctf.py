"""Pupil data entered once: a Common Transfer File (the DfE's CTF, school to LA) creates and
updates the authority's pupils. Each pupil is matched by UPN, then by former UPN, then offered
for a person to confirm where only names and date of birth match; nothing a person recorded
after the file was made is overwritten without saying so; a file with any problem is refused
whole, each problem named by line and element; loading a file again changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from config.errors import DomainError
from pupils import services, transfers
from pupils.models import ImportStatus, Pupil
from tests.accounts.factories import LocalAuthorityFactory
from tests.pupils.ctf_files import Pupil as P
from tests.pupils.ctf_files import new_upn, transfer_file
from tests.pupils.factories import SchoolFactory, pupil_at

D = datetime.date
pytestmark = pytest.mark.django_db


def made(days_ago=0) -> str:
    """When the file was made: a second from now, or ``days_ago`` days before (the database
    stamps each record's last change with its own clock, so these tests keep to it)."""
    moment = timezone.now() + datetime.timedelta(seconds=1) - datetime.timedelta(days=days_ago)
    return moment.isoformat(timespec="seconds")


@pytest.fixture
def admin(member, authority):
    return member(Role.LA_ADMINISTRATOR, organisation=authority)


def load(admin, authority, school, pupils, **file):
    file.setdefault("made", made())
    return transfers.import_transfer_file(
        admin, authority=authority, data=transfer_file(school, pupils, **file)
    )


def by_line(lines):
    return {line.upn: line for line in lines}


def test_new_pupils_are_created_with_their_school_sen_history_meals_and_care(
    admin, authority, school
):
    """Pupil premium follows the DfE's conditions of grant: free school meals at any time in
    the last six years ("Ever 6"), or looked after."""
    earlier = SchoolFactory(organisation__local_authority=authority)
    bystander = pupil_at(school)
    la = authority.la_number
    lines = load(
        admin,
        authority,
        school,
        [
            P(
                new_upn(801),
                surname="Khan",
                forename="Amira",
                preferred_forename="Mira",
                sen=[("2023-09-04", "K"), ("2025-11-10", "E")],
                needs=["SEMH", "SLCN"],
                free_meals=[("2020-09-01", "2021-07-20")],
                schools=[
                    (la, earlier.establishment_number, earlier.name, "2019-09-02", "2023-07-21"),
                    (la, school.establishment_number, school.name, "2023-09-04", ""),
                ],
            ),
            P(
                new_upn(802),
                surname="Osei",
                forename="Kofi",
                sex="M",
                in_care="true",
                care_authority=la,
            ),
            P(
                new_upn(803),
                surname="Price",
                forename="Sam",
                free_meals=[("2019-01-07", "2019-12-20")],
            ),
        ],
    )
    assert [line.outcome for line in lines] == ["created"] * 3
    amira = Pupil.objects.get(upn=new_upn(801))
    assert (amira.legal_first_name, amira.preferred_first_name, amira.display_name) == (
        "Amira",
        "Mira",
        "Mira Khan",
    )
    assert (amira.sen_status, amira.sen_primary_need, amira.pupil_premium) == ("ehcp", "SEMH", True)
    assert [
        (e.provision, e.start_date, e.end_date, e.source) for e in amira.sen_episodes.all()
    ] == [
        ("ehcp", D(2025, 11, 10), None, "ctf"),
        ("sen_support", D(2023, 9, 4), D(2025, 11, 9), "ctf"),
    ]
    assert sorted(
        (e.school_id, e.start_date, e.end_date) for e in amira.enrolments.all()
    ) == sorted([(earlier.pk, D(2019, 9, 2), D(2023, 7, 21)), (school.pk, D(2023, 9, 4), None)])
    kofi = Pupil.objects.get(upn=new_upn(802))
    assert (kofi.care_status, kofi.looked_after_by_id, kofi.gender) == ("cla", authority.pk, "M")
    today = timezone.localdate()
    assert kofi.pupil_premium and kofi.care_episodes.get().start_date == today
    assert kofi.enrolments.get().start_date == today
    sam = Pupil.objects.get(upn=new_upn(803))
    assert not sam.pupil_premium, "meals that ended more than six years before the file"
    bystander.refresh_from_db()
    assert (bystander.sen_status, bystander.care_status) == ("none", "none")


def test_loading_the_same_file_again_changes_nothing(admin, authority, school):
    pupils = [
        P(new_upn(811), sen=[("2024-01-08", "K")], needs=["MLD"], in_care="true"),
        P(new_upn(812), forename="Ben", sex="M"),
    ]
    load(admin, authority, school, pupils)
    before = {
        p.upn: (p.updated_at, p.sen_episodes.count(), p.enrolments.count(), p.care_episodes.count())
        for p in Pupil.objects.all()
    }
    again = load(admin, authority, school, pupils)
    assert [line.outcome for line in again] == ["unchanged", "unchanged"]
    after = {
        p.upn: (p.updated_at, p.sen_episodes.count(), p.enrolments.count(), p.care_episodes.count())
        for p in Pupil.objects.all()
    }
    assert after == before


def test_a_pupil_is_matched_by_upn_and_updated(admin, authority, school):
    pupil = pupil_at(
        school, legal_last_name="Smith", legal_first_name="Jo", date_of_birth=D(2014, 5, 3)
    )
    Pupil.objects.filter(pk=pupil.pk).update(
        updated_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)
    )
    other = pupil_at(school, legal_last_name="Smith", legal_first_name="Jo")
    lines = load(
        admin,
        authority,
        school,
        [
            P(
                pupil.upn,
                surname="Smith-Jones",
                forename="Jo",
                preferred_forename="Joey",
                sen=[("2025-09-08", "K")],
                needs=["SPLD"],
            ),
        ],
    )
    line = lines[0]
    assert (line.outcome, line.pupil_id) == ("updated", pupil.pk)
    assert "legal last name" in line.message and "SEN history" in line.message
    pupil.refresh_from_db()
    assert (pupil.legal_last_name, pupil.preferred_first_name, pupil.sen_status) == (
        "Smith-Jones",
        "Joey",
        "sen_support",
    )
    other.refresh_from_db()
    assert (other.legal_last_name, other.sen_status) == ("Smith", "none")


def test_a_pupil_is_matched_by_former_upn_and_takes_the_new_one(admin, authority, school):
    pupil = pupil_at(school, upn=new_upn(821))
    lines = load(admin, authority, school, [P(new_upn(822), former_upn=new_upn(821))])
    assert (lines[0].outcome, lines[0].pupil_id) == ("updated", pupil.pk)
    assert "Matched by former UPN" in lines[0].message
    pupil.refresh_from_db()
    assert pupil.upn == new_upn(822)
    assert Pupil.objects.count() == 1


def test_what_a_person_recorded_after_the_file_was_made_is_kept_and_said(admin, authority, school):
    pupil = pupil_at(
        school, legal_first_name="Amira", legal_last_name="Khan", preferred_first_name="Mimi"
    )
    lines = load(
        admin, authority, school, [P(pupil.upn, preferred_forename="Mira")], made=made(days_ago=3)
    )
    file_day = timezone.localdate() - datetime.timedelta(days=3)
    pupil.refresh_from_db()
    assert pupil.preferred_first_name == "Mimi"
    assert lines[0].outcome == "unchanged"
    assert "Kept as recorded here: preferred first name" in lines[0].message
    assert (
        f"after the file was made on {file_day:%-d %B %Y}; the file says Mira" in lines[0].message
    )


def test_the_file_never_takes_a_child_out_of_care(admin, authority, school, officer):
    pupil = pupil_at(school)
    services.record_care_status(officer, pupil, status="cla", start_date=D(2025, 6, 2))
    lines = load(
        admin,
        authority,
        school,
        [
            P(
                pupil.upn,
                forename=pupil.legal_first_name,
                surname=pupil.legal_last_name,
                dob="2016-03-14",
                in_care="false",
            )
        ],
    )
    pupil.refresh_from_db()
    assert pupil.care_status == "cla"
    assert "the virtual school records when a child leaves care" in lines[0].message


def test_names_and_date_of_birth_alone_are_confirmed_by_a_person(admin, authority, school):
    pupil = pupil_at(
        school, legal_first_name="Amira", legal_last_name="Khan", date_of_birth=D(2014, 5, 3)
    )
    upload = SimpleUploadedFile(
        "823_CTF_873_001.xml",
        transfer_file(
            school,
            [
                P(new_upn(831), forename="AMIRA", surname="khan", preferred_forename="Mira"),
                P(new_upn(832), forename="Amira", surname="Khan", dob="2014-05-04"),
            ],
            made=made(),
        ),
    )
    job = services.queue_transfer_file(admin, authority=authority, upload=upload)
    job = services.run_import(job.pk)
    assert job.status == ImportStatus.DONE
    assert [(e["outcome"], e["candidates"]) for e in job.report] == [
        ("to_confirm", [pupil.pk]),
        ("created", []),
    ]
    transfers.confirm_transfer_match(admin, job, line=job.report[0]["line"], pupil_id=pupil.pk)
    job.refresh_from_db()
    assert job.report[0]["outcome"] == "updated" and "Matched by" in job.report[0]["message"]
    pupil.refresh_from_db()
    assert (pupil.upn, pupil.preferred_first_name) == (new_upn(831), "Mira")
    with pytest.raises(DomainError, match="already been matched"):
        transfers.confirm_transfer_match(admin, job, line=job.report[0]["line"], pupil_id=None)


def test_a_different_child_with_the_same_names_is_created_when_the_person_says_so(
    admin, authority, school
):
    twin = pupil_at(
        school, legal_first_name="Amira", legal_last_name="Khan", date_of_birth=D(2014, 5, 3)
    )
    stranger = pupil_at(school)
    upload = SimpleUploadedFile("a.xml", transfer_file(school, [P(new_upn(841))]))
    job = services.run_import(
        services.queue_transfer_file(admin, authority=authority, upload=upload).pk
    )
    with pytest.raises(DomainError, match="Choose one of the records offered"):
        transfers.confirm_transfer_match(
            admin, job, line=job.report[0]["line"], pupil_id=stranger.pk
        )
    transfers.confirm_transfer_match(admin, job, line=job.report[0]["line"], pupil_id=None)
    assert Pupil.objects.filter(upn=new_upn(841)).exists()
    twin.refresh_from_db()
    assert twin.upn != new_upn(841)


@pytest.mark.parametrize(
    ("mangle", "words"),
    [
        (lambda f: f.replace(b"</CTfile>", b""), "not well-formed XML"),
        (
            lambda f: f.replace(b"<CTFversion>26.0", b"<CTFversion>19.0"),
            "line 5, CTFversion: Version 19.0 is not one this service reads",
        ),
        (
            lambda f: f.replace(b"<DOB>2014-05-03", b"<DOB>2099-01-01"),
            "DOB: 2099-01-01 is in the future",
        ),
        (
            lambda f: f.replace(b"<DOB>2014-05-03", b"<DOB>3/5/2014"),
            "DOB: 3/5/2014 is not a real date",
        ),
        (lambda f: f.replace(b"<Sex>F", b"<Sex>X"), "Sex: X must be M or F"),
        (lambda f: f.replace(b"<DateTime>2026-02-20", b"<DateTime>2026-13-20"), "DateTime"),
        (
            lambda f: f.replace(b"<CTfile>", b"<!DOCTYPE CTfile [<!ENTITY a 'aaaa'>]><CTfile>"),
            "no document type declaration",
        ),
        (
            lambda f: f.replace(b"<CTfile>", b"<Workbook>").replace(b"</CTfile>", b"</Workbook>"),
            "This is not a Common Transfer File",
        ),
    ],
)
def test_a_file_with_a_problem_is_refused_whole_with_the_problem_named(
    admin, authority, school, mangle, words
):
    good = transfer_file(school, [P(new_upn(851)), P(new_upn(852), forename="Zed")])
    with pytest.raises(DomainError) as refused:
        transfers.import_transfer_file(admin, authority=authority, data=mangle(good))
    assert any(words in error.message for error in refused.value.every), refused.value.every
    assert Pupil.objects.count() == 0


def test_a_wrong_check_letter_and_an_unknown_school_are_each_named(admin, authority, school):
    wrong = "B" + new_upn(861)[1:]
    data = transfer_file(school, [P(new_upn(862)), P(wrong)])
    line = data[: data.index(wrong.encode())].count(b"\n") + 1
    with pytest.raises(DomainError) as refused:
        transfers.import_transfer_file(admin, authority=authority, data=data)
    [problem] = [e.message for e in refused.value.every]
    assert problem == (
        f"transfer file, line {line}, UPN: {wrong} is not a valid UPN: its check letter is wrong"
    )
    unknown = SchoolFactory.build(organisation=school.organisation, establishment_number="7777")
    with pytest.raises(DomainError, match="School 873/7777 is not on the schools list"):
        transfers.import_transfer_file(
            admin, authority=authority, data=transfer_file(unknown, [P(new_upn(863))])
        )
    assert Pupil.objects.count() == 0


def test_the_previous_version_is_read_too(admin, authority, school):
    lines = load(admin, authority, school, [P(new_upn(871))], version="25.0")
    assert lines[0].outcome == "created"


def test_only_the_authoritys_administrators_load_its_files(member, authority, school, admin):
    data = transfer_file(school, [P(new_upn(881))])
    for role in (Role.SCHOOL_STAFF, Role.VIRTUAL_SCHOOL_OFFICER):
        with pytest.raises(DomainError, match="Only the authority's administrators"):
            transfers.import_transfer_file(member(role), authority=authority, data=data)
    other = LocalAuthorityFactory(la_number="874")
    other_admin = member(Role.LA_ADMINISTRATOR, organisation=other)
    with pytest.raises(DomainError, match="This file is for authority 873"):
        transfers.import_transfer_file(other_admin, authority=other, data=data)
    with pytest.raises(DomainError, match="This file is for authority 999"):
        transfers.import_transfer_file(
            admin,
            authority=authority,
            data=transfer_file(school, [P(new_upn(882))], dest_la="999"),
        )
    assert Pupil.objects.count() == 0


def test_a_file_over_the_limit_is_refused_by_its_size(admin, authority, settings):
    settings.IMPORT_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.xml", b"x" * 1001)
    with pytest.raises(DomainError, match="must be smaller than 1000"):
        services.queue_transfer_file(admin, authority=authority, upload=upload)


def test_two_pupils_of_one_file_that_are_one_record_are_not_both_applied(admin, authority, school):
    pupil = pupil_at(school, upn=new_upn(891))
    lines = load(admin, authority, school, [
        P(new_upn(891), forename="Ann"),
        P(new_upn(892), former_upn=new_upn(891), forename="Anne"),
    ])  # fmt: skip
    assert [line.outcome for line in lines] == ["updated", "refused"]
    assert f"The pupil on line {lines[0].line} is the same record" in lines[1].message
    pupil.refresh_from_db()
    assert (pupil.upn, pupil.legal_first_name) == (new_upn(891), "Ann")


def test_a_child_of_another_authority_with_the_same_names_is_never_offered(
    admin, authority, school
):
    """Only records of pupils who are or were on roll at the authority's schools are offered
    for a person to confirm: another authority's child stays theirs, unseen."""
    elsewhere = SchoolFactory(organisation__local_authority=LocalAuthorityFactory(la_number="874"))
    namesake = pupil_at(elsewhere, legal_first_name="Amira", legal_last_name="Khan",
                        date_of_birth=D(2014, 5, 3))  # fmt: skip
    lines = load(admin, authority, school, [P(new_upn(895))])
    assert (lines[0].outcome, lines[0].candidates) == ("created", [])
    namesake.refresh_from_db()
    assert namesake.upn != new_upn(895)

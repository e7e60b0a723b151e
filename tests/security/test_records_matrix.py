"""Every URL that names a record, resolved from the URLconf: its owner gets the page; a user of
another school or another service in the owner's role gets 404, exactly as for a record that does
not exist; a user in a role that may not act is refused (403, or 404 where the record is looked up
first, so a refusal never says that a record exists); and a user who can see the record but whose
role may not take the action gets 403. A URL with a record in it and no entry here fails."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from tests.referrals.factories import ReferralAllocatedFactory
from tests.security.test_url_matrix import named_patterns

D = datetime.date

# name: (the record the URL names, who owns it, the method the page answers)
MATRIX = {
    "pupils:detail": ("pupil", "school", "get"),
    "pupils:record-sen": ("pupil", "school", "get"),
    "pupils:record-care": ("pupil", "vs_officer", "get"),
    "pupils:merge": ("pupil_pair", "la_admin", "get"),
    "pupils:undo-merge": ("merge", "la_admin", "get"),
    "pupils:import": ("import_job", "vs_officer", "get"),
    "pupils:import-progress": ("import_job", "vs_officer", "get"),
    "pupils:import-confirm": ("transfer_line", "la_admin", "get"),
    "accounts:person": ("person", "la_admin", "get"),
    "accounts:end-role": ("person_role", "la_admin", "get"),
    "accounts:reset-two-factor": ("person", "la_admin", "get"),
    "deadlines:detail": ("deadline", "school", "get"),
    "deadlines:waive": ("deadline", "school", "get"),
    "deadlines:done": ("deadline", "school", "get"),
    "deadlines:open-notification": ("notification", "school", "get"),
    "deadlines:retry": ("failed_notification", "la_admin", "post"),
    "deadlines:edit-term": ("year", "la_admin", "get"),
    "deadlines:remove-inset-day": ("inset_day", "la_admin", "post"),
    "referrals:choose-type": ("pupil", "school", "get"),
    "referrals:detail": ("referral", "school", "get"),
    "referrals:section": ("draft", "school", "get"),
    "referrals:check": ("draft", "school", "get"),
    "referrals:tasks": ("draft", "school", "get"),
    "referrals:start-suggested": ("referral", "school", "post"),
    "referrals:submitted": ("referral", "school", "get"),
    "referrals:answer": ("referral", "school", "get"),
    "referrals:withdraw": ("referral", "school", "get"),
    "referrals:screen": ("referral", "screener", "get"),
    "referrals:take": ("referral", "screener", "post"),
    "referrals:document": ("attachment", "school", "get"),
    "referrals:remove-document": ("attachment", "school", "post"),
    "cases:allocate": ("accepted", "boss_manager", "get"),
    "cases:review": ("review", "caseworker", "get"),
    "cases:detail": ("case", "caseworker", "get"),
    "cases:record-contact": ("case", "caseworker", "get"),
    "cases:agree-action": ("case", "caseworker", "get"),
    "cases:record-meeting": ("case", "caseworker", "get"),
    "cases:close": ("case", "caseworker", "get"),
    "cases:reopen": ("case", "caseworker", "get"),
    "cases:reallocate": ("case", "boss_manager", "get"),
    "cases:evaluate": ("case", "caseworker", "get"),
    "plans:new-psp": ("pupil", "school", "get"),
    "plans:psp": ("psp", "school", "get"),
    "plans:new-target": ("psp", "school", "get"),
    "plans:new-review": ("psp", "school", "get"),
    "plans:psp-download": ("psp", "school", "get"),
    "cases:write-bip": ("case", "caseworker", "get"),
    "plans:bip": ("bip", "caseworker", "get"),
    "plans:bip-download": ("bip", "caseworker", "get"),
    "plans:review-bip": ("bip", "caseworker", "get"),
    "plans:new-timetable": ("pupil", "school", "get"),
    "plans:timetable": ("timetable", "school", "get"),
    "plans:review-timetable": ("timetable", "school", "get"),
    "plans:extend-timetable": ("timetable", "school", "get"),
    "plans:full-time": ("timetable", "school", "get"),
    "plans:timetable-download": ("timetable", "school", "get"),
    "plans:new-risk": ("pupil", "school", "get"),
    "plans:risk-assessment": ("risk", "school", "get"),
    "plans:risk-download": ("risk", "school", "get"),
    "plans:new-pep": ("pupil", "school", "get"),
    "exclusions:notify": ("pupil", "school", "get"),
    "exclusions:notice-question": ("pupil", "school", "get"),
    "exclusions:notice-check": ("pupil", "school", "get"),
    **{
        f"exclusions:{name}": ("exclusion", "school", "get")
        for name in [
            "detail",
            "withdraw",
            "parents-ask",
            "board",
            "review-application",
            "panel",
            "reconsider",
            "provision",
            "off-roll",
            "outcome",
            "support",
            "reintegrate",
            "work-set",
            "letter",
            "letter-download",
        ]
    },
    # The API's records: the same owners, the same refusals (a 404 in JSON).
    "api:pupil-detail": ("pupil", "school", "get"),
    "api:referral-detail": ("referral", "school", "get"),
    "api:case-detail": ("case", "caseworker", "get"),
    "api:contact-detail": ("contact", "caseworker", "get"),
    "api:psp-detail": ("psp", "school", "get"),
    "api:bip-detail": ("bip", "caseworker", "get"),
    "api:timetable-detail": ("timetable", "school", "get"),
    "api:risk-assessment-detail": ("risk", "school", "get"),
    "api:pep-meeting-detail": ("pep", "school", "get"),
    "api:exclusion-detail": ("exclusion", "school", "get"),
    "api:deadline-detail": ("deadline", "school", "get"),
    "api:webhook-detail": ("webhook", "school", "get"),
    "api:transfer-file-detail": ("transfer_job", "la_admin", "get"),
    # A school system's actions on its referral: the owner's empty form is refused for what it
    # is (not JSON: 415; no file: 400); anyone else is refused before it is read.
    "api:referral-answer": ("referral", "school", "post"),
    "api:referral-documents": ("referral", "school", "post"),
}
OWNER_MAY_BE_TOLD_OFF = {"api:referral-answer": 415, "api:referral-documents": 400}


# name: somebody who sees the record but whose role may not take this action (403)
MAY_SEE_BUT_NOT_ACT = {
    "pupils:record-sen": "caseworker",
    "cases:allocate": "caseworker",
    "cases:reallocate": "caseworker",
    "cases:record-contact": "school",
    "cases:agree-action": "school",
    "cases:record-meeting": "school",
    "cases:close": "school",
    "cases:reopen": "school",
    "referrals:screen": "school",
    "referrals:take": "school",
    "referrals:start-suggested": "screener",
    "plans:new-psp": "caseworker",
    "plans:new-timetable": "caseworker",
    "plans:new-risk": "caseworker",
    "cases:write-bip": "school",
    "referrals:choose-type": "caseworker",
    "deadlines:edit-term": "school",
    "deadlines:remove-inset-day": "caseworker",
}
OWNER_ROLE = {"school": Role.SCHOOL_STAFF, "caseworker": Role.CASEWORKER}


def record_urls():
    return [
        (name, route)
        for name, route, _ in named_patterns()
        if ("<int:" in route or "<str:pk>" in route) and not name.startswith("admin:")
    ]


def test_every_url_that_names_a_record_is_in_the_matrix():
    assert sorted(name for name, _ in record_urls() if name not in MATRIX) == []


@pytest.fixture
def world(school, authority, member, orgs, types):
    """Records of school A and of BOSS, their owners, and two outsiders."""
    from cases.models import Review
    from deadlines import services as deadline_services
    from deadlines.models import Deadline, InsetDay
    from plans.models import BehaviourImprovementPlan, PepMeeting, RiskAssessment
    from pupils.models import CareStatus, ImportJob
    from referrals import services as referral_services
    from tests.cases.factories import CaseOpenFactory, ContactFactory
    from tests.deadlines.factories import NotificationFailedFactory, NotificationPendingFactory
    from tests.exclusions.factories import SuspensionFactory
    from tests.plans.factories import PspActiveFactory, TimetableActiveFactory
    from tests.pupils.factories import SchoolFactory, pupil_at
    from tests.referrals.factories import (
        ReferralAcceptedFactory,
        ReferralDraftFactory,
        ReferralSubmittedFactory,
    )

    people = {
        "school": member(Role.SCHOOL_STAFF, organisation=school.organisation),
        "caseworker": member(Role.CASEWORKER, organisation=orgs["boss"]),
        "boss_manager": member(Role.SERVICE_MANAGER, organisation=orgs["boss"]),
        "screener": member(Role.GATEWAY_SCREENER, organisation=orgs["prt"]),
        "la_admin": member(Role.LA_ADMINISTRATOR),
        "vs_officer": member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=orgs["virtual-school"]),
    }
    other_school = SchoolFactory(organisation__local_authority=authority)
    outsiders = [
        member(Role.SCHOOL_STAFF, organisation=other_school.organisation),
        member(Role.CASEWORKER, organisation=orgs["bass"]),
    ]
    pupil = pupil_at(school, care_status=CareStatus.LOOKED_AFTER)
    allocated = ReferralAllocatedFactory(referral_type=types["boss"], pupil=pupil, school=school)
    case = CaseOpenFactory(referral=allocated, caseworker=people["caseworker"])
    submitted = ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil_at(school),
                                         school=school)  # fmt: skip
    draft = ReferralDraftFactory(referral_type=types["bass"], pupil=pupil_at(school),
                                 school=school)  # fmt: skip
    attachment = referral_services.attach_document(
        people["school"], draft, kind="other", upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4")
    )
    accepted = ReferralAcceptedFactory(referral_type=types["boss"], pupil=pupil_at(school),
                                       school=school)  # fmt: skip
    psp = PspActiveFactory(pupil=pupil, school=school, created_by=people["school"])
    deadline = deadline_services.create_deadline(
        None, kind="action", subject=psp, pupil=pupil, school=school, start_date=D(2026, 3, 2),
        title="Review", owner_organisation=school.organisation, owner_role=Role.SCHOOL_STAFF,
    )  # fmt: skip
    records = {
        "person": people["caseworker"].pk,
        "person_role": (people["caseworker"].pk, people["caseworker"].memberships.get().pk),
        "pupil": pupil.pk,
        "deadline": deadline.pk,
        "notification": NotificationPendingFactory(recipient=people["school"]).pk,
        "failed_notification": NotificationFailedFactory(recipient=people["school"]).pk,
        "year": 2025,
        "inset_day": InsetDay.objects.filter(authority=authority).first().pk,
        "referral": submitted.pk,
        "draft": draft.pk,
        "attachment": (draft.pk, attachment.pk),
        "accepted": accepted.pk,
        "review": Review.objects.create(case=case, quarter_start=D(2026, 1, 1)).pk,
        "case": case.pk,
        "psp": psp.pk,
        "bip": BehaviourImprovementPlan.objects.create(
            case=case,
            pupil=pupil,
            school=school,
            understanding_of_needs="x",
            strategies="x",
            targets="x",
            who_does_what="x",
        ).pk,
        "timetable": TimetableActiveFactory(
            pupil=pupil, school=school, created_by=people["school"]
        ).pk,
        "risk": RiskAssessment.objects.create(
            pupil=pupil,
            school=school,
            triggers="x",
            early_signs="x",
            de_escalation="x",
            support_measures="x",
            review_date=D(2026, 4, 1),
            created_by=people["school"],
        ).pk,
        "exclusion": _with_a_letter(
            SuspensionFactory(
                pupil=pupil,
                school=school,
                created_by=people["school"],
                work_set="Reading and maths booklets",
            ),
            people["school"],
        ).pk,
        "contact": ContactFactory(case=case, recorded_by=people["caseworker"]).pk,
        "pep": PepMeeting.objects.create(
            pupil=pupil,
            school=school,
            date=D(2026, 1, 20),
            attendees="x",
            targets="x",
            recorded_by=people["school"],
        ).pk,
    }
    records["import_job"] = ImportJob.objects.create(
        kind="looked_after", authority=authority, started_by=people["vs_officer"]
    ).pk
    records["transfer_line"] = _transfer_line_to_confirm(people["la_admin"], authority, school)
    records["transfer_job"] = _transfer_job_naming(people["la_admin"], authority, school, pupil)
    records["pupil_pair"] = (pupil.pk, pupil_at(school).pk)
    records["merge"] = _merge_of_two(people["la_admin"], school)
    records["webhook"] = deadline_services.register_webhook(
        people["school"], school=school, url="https://mis.example.org/events"
    )[0].pk
    assert Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(psp)).exists()
    return {"people": people, "outsiders": outsiders, "records": records}


def _transfer_line_to_confirm(admin, authority, school):
    """(job, line) of a Common Transfer File whose pupil waits for a person to confirm it."""
    from pupils import services
    from tests.pupils.ctf_files import Pupil, new_upn, transfer_file
    from tests.pupils.factories import pupil_at

    twin = pupil_at(school, legal_first_name="Ann", legal_last_name="Lee")
    data = transfer_file(school, [Pupil(new_upn(990), forename="Ann", surname="Lee",
                                        dob=twin.date_of_birth.isoformat())])  # fmt: skip
    job = services.queue_transfer_file(
        admin, authority=authority, upload=SimpleUploadedFile("ctf.xml", data)
    )
    job = services.run_import(job.pk)
    assert job.report[0]["outcome"] == "to_confirm"
    return job.pk, job.report[0]["line"]


def _with_a_letter(exclusion, staff):
    """The suspension's letter to the parents, written with everything it needs."""
    from exclusions import services
    from exclusions.models import LetterSettings

    LetterSettings.objects.create(
        authority_id=exclusion.school.organisation.local_authority_id,
        sendiass="SENDIASS, 01234 567890", behaviour_officer="Behaviour officer, 01234 567891",
        review_address="Exclusions Team, Town Hall",
    )  # fmt: skip
    services.write_letter(
        staff,
        exclusion,
        situation="suspension_short",
        parts={"representations": "To the clerk", "signed_by": "The head"},
    )
    return exclusion


def _merge_of_two(admin, school):
    from pupils import merging
    from tests.pupils.factories import pupil_at

    return merging.merge_pupils(admin, pupil_at(school), pupil_at(school)).pk


def _transfer_job_naming(admin, authority, school, pupil):
    """A Common Transfer File job whose one pupil is ``pupil``, matched by UPN."""
    from pupils import services
    from tests.pupils.ctf_files import Pupil, transfer_file

    data = transfer_file(school, [Pupil(pupil.upn, forename=pupil.legal_first_name,
                                        surname=pupil.legal_last_name,
                                        dob=pupil.date_of_birth.isoformat())])  # fmt: skip
    job = services.queue_transfer_file(
        admin, authority=authority, upload=SimpleUploadedFile("ctf.xml", data)
    )
    job = services.run_import(job.pk)
    assert job.report[0]["pupil_id"] == pupil.pk, job.report
    return job.pk


def path_for(route: str, record) -> str:
    values = list(record) if isinstance(record, tuple) else [record]
    path = re.sub(r"<str:fmt>", "pdf", route)
    slug = ("about" if "answers" in route else "kind" if "notify" in route
            else "suspension_short" if "letters" in route else "autumn_1")  # fmt: skip
    path = re.sub(r"<slug:[^>]+>", slug, path)
    for value in values:
        path = re.sub(r"<int:[^>]+>|<str:pk>", str(value), path, count=1)
    return "/" + path


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), record_urls())
def test_the_owner_gets_the_page_and_others_are_refused(world, client_for, name, route):
    record, owner, method = MATRIX[name]
    path = path_for(route, world["records"][record])
    for outsider in world["outsiders"]:
        role = outsider.memberships.get().role
        response = getattr(client_for(outsider), method)(path)
        if role == OWNER_ROLE.get(owner):
            assert response.status_code == 404, (name, role)
        else:
            assert response.status_code in {403, 404}, (name, role)
    response = getattr(client_for(world["people"][owner]), method)(path)
    expected = {OWNER_MAY_BE_TOLD_OFF[name]} if name in OWNER_MAY_BE_TOLD_OFF else {200, 302}
    assert response.status_code in expected, (name, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MAY_SEE_BUT_NOT_ACT))
def test_a_role_that_may_not_act_gets_403(world, client_for, name):
    record, _, method = MATRIX[name]
    route = next(route for pattern, route in record_urls() if pattern == name)
    path = path_for(route, world["records"][record])
    response = getattr(client_for(world["people"][MAY_SEE_BUT_NOT_ACT[name]]), method)(path)
    assert response.status_code == 403, (name, response.status_code)
    if method == "get":
        assert "You do not have access to this page" in response.content.decode()

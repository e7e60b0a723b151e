import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Role
from tests.pupils.factories import SchoolFactory, pupil_at
from tests.referrals.factories import ReferralAllocatedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(member):
    return member(Role.LA_ADMINISTRATOR)


def token_for(admin, user, *, read_only=True, school=None):
    _, key = account_services.issue_api_token(
        user, user, verified=True, name="Oak MIS", read_only=read_only,
        school=school.organisation if school else None,
    )  # fmt: skip
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_a_token_reads_only_what_its_user_may_see(client, member, school, admin, authority):
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    mine = pupil_at(school)
    pupil_at(SchoolFactory(organisation__local_authority=authority))
    headers = token_for(admin, senco)
    response = client.get(reverse("api:pupil-list"), **headers)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert client.get(reverse("api:pupil-detail", args=[mine.pk + 999]), **headers).json() == {
        "errors": [{"field": None, "message": "Not found.", "code": "not_found"}]
    }


def test_a_revoked_token_and_a_read_only_token(client, member, school, admin):
    from accounts.models import ApiToken

    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    headers = token_for(admin, senco)
    read_only = client.post(reverse("api:referral-list"), {}, **headers)
    assert read_only.status_code == 403
    assert read_only.json()["errors"][0]["message"] == "This token may only read."
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    account_services.revoke_api_token(admin, token)
    assert client.get(reverse("api:pupil-list"), **headers).status_code == 401


def test_a_school_system_submits_a_referral_with_the_form_s_rules(
    client, member, school, admin, authority
):
    from tests.accounts.factories import OrganisationFactory
    from tests.referrals.factories import ReferralTypeFactory

    bass = OrganisationFactory(code="bass", name="BASS", local_authority=authority)
    ReferralTypeFactory(code="bass-individual", service=bass)
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    pupil = pupil_at(school)
    headers = token_for(admin, senco, read_only=False)
    body = {"pupil": pupil.pk, "referral_type": "bass-individual", "reason": "Disruption"}
    missing = client.post(reverse("api:referral-list"), body, content_type="application/json",
                          **headers)  # fmt: skip
    assert missing.status_code == 400
    fields = {error["field"] for error in missing.json()["errors"]}
    assert {"consent_given_by", "consent_given_on", "consent_method"} <= fields
    body.update(consent_given_by="Mother", consent_given_on=str(datetime.date.today()),
                consent_method="phone")  # fmt: skip
    created = client.post(reverse("api:referral-list"), body, content_type="application/json",
                          **headers)  # fmt: skip
    assert created.status_code == 201
    assert created.json()["reference"].startswith("REF-")
    again = client.post(reverse("api:referral-list"), body, content_type="application/json",
                        **headers)  # fmt: skip
    assert again.status_code == 409  # sending it again will not help
    assert again.json()["errors"][0]["code"] == "open_referral_exists"
    assert "already has an open referral" in again.json()["errors"][0]["message"]


def test_the_schema_is_served_to_signed_in_users(client_for, member):
    response = client_for(member(Role.CASEWORKER)).get(reverse("api:schema"))
    assert response.status_code == 200
    assert b"/api/v1/referrals" in response.content


def test_an_la_administrator_cannot_mint_a_token_for_a_member_of_staff(
    client_for, member, admin, school
):
    """The hole: the administrator could issue a write token for any user, and act as them past
    their two-factor, unlogged. Tokens are issued by their own user, or to a school's system."""
    from accounts.models import ApiToken
    from config.errors import DomainError

    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    with pytest.raises(DomainError, match="issued by its own user, or to one of your authority"):
        account_services.issue_api_token(admin, senco, name="Oak MIS", read_only=False)
    page = client_for(admin).post(
        reverse("accounts:api-tokens"), {"user": senco.pk, "name": "Oak MIS"}
    )
    assert page.status_code == 400  # no such choice: a school is chosen, for its system
    assert not ApiToken.objects.exists()
    assert client_for(senco).get(reverse("accounts:api-tokens")).status_code == 403


def test_an_la_administrator_gives_a_schools_system_an_account_and_a_token(
    client, client_for, member, admin, school
):
    from accounts.models import AccountEvent, ApiToken

    page = client_for(admin).post(
        reverse("accounts:api-tokens"), {"school": school.organisation.pk, "name": "Oak MIS"}
    )
    key = page.context["issued_key"]
    token = ApiToken.objects.get()
    system = token.user
    assert system.is_system_account and not system.has_usable_password()
    assert system.memberships.get().organisation == school.organisation
    assert token.read_only is False  # an unticked box: it may send referrals
    assert AccountEvent.objects.get(user=system).get_kind_display() == "API token issued"
    listed = client.get(reverse("api:pupil-list"), HTTP_AUTHORIZATION=f"Token {key}")
    assert listed.status_code == 200
    revoked = client_for(admin).post(reverse("accounts:api-tokens"), {"revoke": token.pk})
    assert revoked.status_code == 302
    assert (
        client.get(reverse("api:pupil-list"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    )
    from tests.accounts.factories import LocalAuthorityFactory

    other = member(Role.LA_ADMINISTRATOR, organisation=LocalAuthorityFactory())
    with pytest.raises(Exception, match="Choose one of your authority's schools"):
        account_services.create_system_account(other, school=school.organisation, name="Oak MIS")


def test_staff_issue_their_own_token_only_after_their_authenticator(
    client, client_for, member, school, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.test import Client

    from accounts.models import ApiToken
    from tests.accounts.factories import PASSWORD
    from tests.conftest import sign_in_with_two_factor

    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    password_only = Client()
    password_only.post(reverse("accounts:sign-in"), {"email": senco.email, "password": PASSWORD})
    page = password_only.get(reverse("accounts:my-api-tokens"))
    assert "set up an authenticator app" in page.content.decode()
    refused = password_only.post(reverse("accounts:my-api-tokens"), {"name": "Spreadsheet"})
    assert refused.status_code == 400
    assert "Sign in with your authenticator app first" in refused.content.decode()

    verified = sign_in_with_two_factor(Client(), senco)
    with django_capture_on_commit_callbacks(execute=True):
        issued = verified.post(
            reverse("accounts:my-api-tokens"), {"name": "Spreadsheet", "read_only": "on"}
        )
    assert issued.context["issued_key"]
    assert ApiToken.objects.get().user == senco
    (message,) = mail.outbox
    assert message.subject == "API token issued on your account"


def test_a_school_system_notifies_an_exclusion_with_the_form_s_rules(client, member, school, admin):
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    pupil = pupil_at(school)
    headers = token_for(admin, senco, read_only=False)
    body = {
        "pupil": pupil.pk, "kind": "suspension", "start_date": "2026-02-14", "sessions": 2,
        "reasons": ["PA"], "description": "Assault", "parents_told_on": "2026-03-02",
        "parents_told_how": "Phone",
    }  # fmt: skip
    weekend = client.post(reverse("api:exclusion-list"), body, content_type="application/json",
                          **headers)  # fmt: skip
    assert weekend.status_code == 422  # a rule of the service, not a request it cannot read
    assert [(e["field"], e["message"]) for e in weekend.json()["errors"]] == [
        ("start_date", f"The start date must be a school day at {school.name}")
    ]
    body["start_date"] = "2026-03-02"
    bad_code = client.post(reverse("api:exclusion-list"), {**body, "reasons": ["XX"]},
                           content_type="application/json", **headers)  # fmt: skip
    assert bad_code.json()["errors"][0]["field"] == "reasons"
    created = client.post(reverse("api:exclusion-list"), body, content_type="application/json",
                          **headers)  # fmt: skip
    assert created.status_code == 201 and created.json()["reasons"] == ["PA"]


def test_case_notes_are_the_service_s_own_over_the_api(client, member, school, admin, authority):
    from tests.accounts.factories import OrganisationFactory
    from tests.cases.factories import CaseOpenFactory, ContactFactory
    from tests.referrals.factories import ReferralTypeFactory

    boss = OrganisationFactory(code="boss-x", local_authority=authority)
    caseworker = member(Role.CASEWORKER, organisation=boss)
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    referral = ReferralAllocatedFactory(
        referral_type=ReferralTypeFactory(service=boss), pupil=pupil_at(school), school=school
    )
    case = CaseOpenFactory(referral=referral, caseworker=caseworker)
    ContactFactory(case=case, recorded_by=caseworker, notes="Private")
    school_view = client.get(reverse("api:case-list"), **token_for(admin, senco))
    assert [row["id"] for row in school_view.json()["results"]] == [case.pk]
    assert (
        client.get(reverse("api:contact-list"), **token_for(admin, senco)).json()["results"] == []
    )
    notes = client.get(reverse("api:contact-list"), **token_for(admin, caseworker)).json()
    assert [row["notes"] for row in notes["results"]] == ["Private"]


def test_a_school_system_notifies_a_part_time_timetable_with_the_form_s_rules(
    client, member, school, admin, authority
):
    from deadlines.models import Deadline
    from tests.plans.factories import TimetableActiveFactory

    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    pupil = pupil_at(school)
    elsewhere = SchoolFactory(organisation__local_authority=authority)
    TimetableActiveFactory(pupil=pupil_at(elsewhere), school=elsewhere, created_by=admin)
    headers = token_for(admin, senco, read_only=False)
    body = {
        "pupil": pupil.pk, "reason": "Anxiety", "hours_per_week": "15.0",
        "start_date": "2026-03-02", "end_date": "2026-02-27", "return_plan": "A day more a week",
        "next_review_date": "2026-03-16", "consent_given_by": "Mother",
        "consent_given_on": "2026-02-26",
    }  # fmt: skip
    url = reverse("api:timetable-list")
    backwards = client.post(url, body, content_type="application/json", **headers)
    assert backwards.status_code == 422
    assert [(e["field"], e["message"]) for e in backwards.json()["errors"]] == [
        ("end_date", "The end date must be after the start date")
    ]
    without_end = {key: value for key, value in body.items() if key != "end_date"}
    assert client.post(url, without_end, content_type="application/json", **headers).json()[
        "errors"
    ] == [{"field": "end_date", "message": "Enter the end date", "code": "required"}]
    body["end_date"] = "2026-04-24"
    created = client.post(url, body, content_type="application/json", **headers)
    assert created.status_code == 201
    assert created.json()["school"] == school.pk and created.json()["status"] == "active"
    assert set(Deadline.objects.values_list("kind__code", flat=True)) >= {
        "plan-review", "timetable-end"
    }  # fmt: skip
    listed = client.get(url, **headers).json()["results"]
    assert [row["id"] for row in listed] == [created.json()["id"]]


def test_every_kind_of_plan_is_read_through_visible_to(client, member, school, admin, authority):
    from plans.models import BehaviourImprovementPlan, PepMeeting, RiskAssessment
    from tests.accounts.factories import OrganisationFactory
    from tests.cases.factories import CaseOpenFactory
    from tests.referrals.factories import ReferralTypeFactory

    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    other = SchoolFactory(organisation__local_authority=authority)
    outsider = member(Role.SCHOOL_STAFF, organisation=other.organisation)
    pupil = pupil_at(school, care_status="cla")
    RiskAssessment.objects.create(
        pupil=pupil, school=school, triggers="Noise", early_signs="Pacing",
        de_escalation="Quiet room", support_measures="Mentor",
        review_date=datetime.date(2026, 4, 1), created_by=senco,
    )  # fmt: skip
    PepMeeting.objects.create(
        pupil=pupil, school=school, date=datetime.date(2026, 1, 20), attendees="Designated teacher",
        targets="Reading age", recorded_by=senco,
    )  # fmt: skip
    boss = OrganisationFactory(code="boss-y", local_authority=authority)
    caseworker = member(Role.CASEWORKER, organisation=boss)
    bips = {}
    for handed_over in [datetime.date(2026, 3, 1), None]:
        case = CaseOpenFactory(
            caseworker=caseworker,
            referral=ReferralAllocatedFactory(
                referral_type=ReferralTypeFactory(service=boss), pupil=pupil_at(school),
                school=school),
        )  # fmt: skip
        bips[handed_over] = BehaviourImprovementPlan.objects.create(
            case=case, pupil=case.referral.pupil, school=school, understanding_of_needs="Needs",
            strategies="Calm space", targets="Attends", who_does_what="Mentor",
            handed_to_school_on=handed_over,
        )  # fmt: skip
    expected = {
        "risk-assessment": [pupil.pk],
        "pep-meeting": [pupil.pk],
        # The school reads the BIP while the case is open (negotiated with it, seed 000) and
        # keeps it once handed over.
        "bip": [bips[datetime.date(2026, 3, 1)].pupil_id, bips[None].pupil_id],
    }
    for name, pupils in expected.items():
        url = reverse(f"api:{name}-list")
        assert client.get(url, **token_for(admin, outsider)).json()["results"] == [], name
        mine = client.get(url, **token_for(admin, senco)).json()["results"]
        assert sorted(row["pupil"] for row in mine) == sorted(pupils), name
    service_view = client.get(reverse("api:bip-list"), **token_for(admin, caseworker)).json()
    assert {row["id"] for row in service_view["results"]} == {bip.pk for bip in bips.values()}


def test_only_school_staff_send_records_and_others_are_told_403(client, member, admin):
    caseworker = member(Role.CASEWORKER)
    headers = token_for(admin, caseworker, read_only=False)
    for name, action in [
        ("referral", "submit referrals"),
        ("exclusion", "notify exclusions"),
        ("timetable", "notify part-time timetables"),
    ]:
        response = client.post(reverse(f"api:{name}-list"), {}, content_type="application/json",
                               **headers)  # fmt: skip
        assert response.status_code == 403, name
        assert response.json() == {
            "errors": [{"field": None, "message": f"Only school staff {action}.",
                        "code": "permission_denied"}]
        }  # fmt: skip


def test_api_lists_page_by_keyset_without_counting_the_whole_list(client, member, school, admin):
    """A list of a million pupils is read one indexed range at a time: ``next`` carries a
    cursor, not a page number, and no page asks for the total."""
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    pupils = [pupil_at(school) for _ in range(5)]
    headers = token_for(admin, senco)
    url = f"{reverse('api:pupil-list')}?page_size=2"
    seen = []
    while url:
        body = client.get(url, **headers).json()
        assert "count" not in body
        assert "cursor=" in (body["next"] or "cursor=")
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted((pupil.pk for pupil in pupils), reverse=True)
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("api:pupil-list"), **headers)
    assert not any("COUNT(" in query["sql"].upper() for query in first.captured_queries)


def test_a_token_acts_for_the_one_school_it_was_issued_for(
    client, member, school, admin, authority
):
    """The hole: a SENCO at two schools sent a timetable for a Riverside pupil, and it was saved
    against Beckfield, the first of her schools. Now a token is issued for one of her schools
    (she chooses), and acts for that one only."""
    from accounts.models import ApiToken
    from config.errors import DomainError
    from plans.models import PartTimeTimetable
    from tests.accounts.factories import MembershipFactory

    other = SchoolFactory(organisation__local_authority=authority)
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    MembershipFactory(user=senco, organisation=other.organisation, role=Role.SCHOOL_STAFF)
    with pytest.raises(DomainError, match="Choose which school the token acts for"):
        account_services.issue_api_token(senco, senco, name="MIS", verified=True)
    assert not ApiToken.objects.exists()
    pupil = pupil_at(other)
    body = {
        "pupil": pupil.pk, "reason": "Anxiety", "hours_per_week": "15.0",
        "start_date": "2026-03-02", "end_date": "2026-03-27", "return_plan": "A day more a week",
        "next_review_date": "2026-03-16", "consent_given_by": "Mother",
        "consent_given_on": "2026-02-26",
    }  # fmt: skip
    url = reverse("api:timetable-list")
    wrong = client.post(url, body, content_type="application/json",
                        **token_for(admin, senco, read_only=False, school=school))  # fmt: skip
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["code"] == "not_on_roll"
    sent = client.post(url, body, content_type="application/json",
                       **token_for(admin, senco, read_only=False, school=other))  # fmt: skip
    assert sent.status_code == 201
    assert PartTimeTimetable.objects.get().school == other


def test_a_timetable_for_a_pupil_not_on_the_schools_roll_is_refused(member, school, authority):
    import datetime as dt

    from config.errors import DomainError
    from plans import services as plan_services

    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    elsewhere = pupil_at(SchoolFactory(organisation__local_authority=authority))
    with pytest.raises(DomainError, match="is not on roll at"):
        plan_services.notify_part_time_timetable(
            senco, pupil=elsewhere, school=school, reason="x", hours_per_week=10,
            start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 20), return_plan="x",
            next_review_date=dt.date(2026, 3, 9), consent_given_by="x",
            consent_given_on=dt.date(2026, 2, 27),
        )  # fmt: skip


def test_a_member_of_staff_at_two_schools_chooses_the_school_of_their_token(
    client_for, member, school, authority
):
    """The token page asks which school, in words, for staff at more than one; the choice is
    shown beside the token."""
    from accounts.models import ApiToken
    from tests.accounts.factories import MembershipFactory
    from tests.conftest import sign_in_with_two_factor

    other = SchoolFactory(organisation__local_authority=authority, name="Riverside Academy")
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    MembershipFactory(user=senco, organisation=other.organisation, role=Role.SCHOOL_STAFF)
    client = client_for(senco)
    sign_in_with_two_factor(client, senco)
    url = reverse("accounts:my-api-tokens")
    page = client.get(url).content.decode()
    assert "School the token acts for" in page and "Riverside Academy" in page
    refused = client.post(url, {"name": "Spreadsheet"})
    assert refused.status_code == 400
    assert "Choose the school the token acts for" in refused.content.decode()
    issued = client.post(url, {"name": "Spreadsheet", "school": other.organisation.pk})
    assert issued.status_code == 200
    assert ApiToken.objects.get().school == other.organisation
    assert "for Riverside Academy" in issued.content.decode()


def test_kept_api_answers_are_forgotten_after_a_day_and_not_before(member):
    import datetime as dt

    from django.utils import timezone

    from accounts.models import IdempotentRequest

    user = member(Role.SCHOOL_STAFF)
    old, recent = (
        IdempotentRequest.objects.create(user=user, key=key, fingerprint="f", status=201, body={})
        for key in ("old", "recent")
    )
    IdempotentRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    assert account_services.purge_idempotency_keys() == 1
    assert list(IdempotentRequest.objects.all()) == [recent]


def test_each_token_has_its_own_allowance_and_every_answer_says_what_is_left(
    client, member, school, admin, settings
):
    """A busy spreadsheet of a SENCO's no longer uses up the school system's allowance: each
    token is counted alone, and each answer says how many requests are left this hour; the
    429 says when to come back, in seconds."""
    settings.API_RATE = "3/hour"
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    spreadsheet, mis = token_for(admin, senco), token_for(admin, senco)
    url = reverse("api:pupil-list")
    answers = [client.get(url, **spreadsheet) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[0]["RateLimit-Limit"] == "3"
    assert answers[0]["RateLimit-Policy"] == '"per-token";q=3;w=3600'
    reset = int(answers[3]["RateLimit-Reset"])
    assert 0 < reset <= 3600 and answers[3]["Retry-After"] == str(reset)
    assert answers[3]["RateLimit"] == f'"per-token";r=0;t={reset}'
    assert answers[3].json()["errors"][0]["code"] == "throttled"
    other = client.get(url, **mis)
    assert (other.status_code, other["RateLimit-Remaining"]) == (200, "2")


def test_every_list_can_be_kept_in_step_by_updated_since():
    """Every list of the API takes updated_since and orders by updated_at: its records carry
    the database's stamp (a list added without one fails here, not in an integrator's sync)."""
    from config.api_urls import router

    for prefix, viewset, _ in router.registry:
        if not hasattr(viewset, "list"):  # a resource read one at a time (transfer files)
            continue
        serializer = viewset(action="list").get_serializer_class()
        assert "updated_at" in {f.name for f in serializer.Meta.model._meta.get_fields()}, prefix
        assert "updated_at" in serializer.Meta.fields, prefix


def test_an_older_token_of_staff_at_two_schools_may_read_but_not_send(
    client, member, school, authority
):
    """A token issued before each acted for one school must not guess which: it reads, and a
    POST is refused in words until a token for one school is issued."""
    from accounts.models import ApiToken
    from tests.accounts.factories import MembershipFactory

    other = SchoolFactory(organisation__local_authority=authority)
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    _, key = account_services.issue_api_token(
        senco, senco, verified=True, name="Old MIS", read_only=False
    )
    MembershipFactory(user=senco, organisation=other.organisation, role=Role.SCHOOL_STAFF)
    ApiToken.objects.update(school=None)  # as issued before tokens named their school
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get(reverse("api:pupil-list"), **headers).status_code == 200
    sent = client.post(reverse("api:timetable-list"), {"upn": pupil_at(other).upn},
                       content_type="application/json", **headers)  # fmt: skip
    assert sent.status_code == 403
    assert "issue a new one, choosing the school" in sent.json()["errors"][0]["message"]


def test_each_list_row_is_the_record_as_read_on_its_own(
    client, member, school, admin, authority, organisation_for_role
):
    """The lists are written from rows of values (config.api.ListsValues), the records from
    model instances: each row of the referral and pupil lists is exactly the record read on
    its own, a school's DfE number, a Pastoral Support Plan, a question, a redirection and a
    referral with no school among them."""
    from plans.models import PastoralSupportPlan
    from referrals.models import Source
    from tests.plans.factories import PspActiveFactory
    from tests.referrals.factories import (
        ReferralMoreInformationFactory,
        ReferralRedirectedFactory,
        ReferralTypeFactory,
    )

    summer = datetime.datetime(2026, 7, 1, 8, 5, 30, 123456, tzinfo=datetime.UTC)
    service = organisation_for_role(Role.CASEWORKER)
    kind = ReferralTypeFactory(service=service, code="boss")
    caseworker = member(Role.CASEWORKER, organisation=service)
    pupil = pupil_at(school)
    psp: PastoralSupportPlan = PspActiveFactory(pupil=pupil, school=school, created_by=admin)
    referrals = [
        ReferralMoreInformationFactory(referral_type=kind, pupil=pupil, school=school,
                                       external_id="MIS-1", psp=psp, submitted_at=summer),
        ReferralRedirectedFactory(referral_type=kind, pupil=pupil, school=school),
        ReferralAllocatedFactory(referral_type=kind, pupil=pupil_at(school), school=None,
                                 source=Source.REINTEGRATION),
    ]  # fmt: skip
    headers = token_for(admin, caseworker)
    rows = client.get(reverse("api:referral-list"), **headers).json()["results"]
    assert [row["id"] for row in rows] == [referral.pk for referral in reversed(referrals)]
    for row in rows:
        alone = client.get(reverse("api:referral-detail", args=[row["id"]]), **headers).json()
        assert row == alone
    by_id = {row["id"]: row for row in rows}
    asked, redirected, no_school = (by_id[referral.pk] for referral in referrals)
    la_number = school.organisation.local_authority.la_number
    assert asked["school_dfe_number"] == f"{la_number}/{school.establishment_number}"
    assert asked["psp"] == psp.pk and asked["referral_type"] == "boss"
    assert asked["question"] and asked["external_id"] == "MIS-1"
    assert asked["submitted_at"] == "2026-07-01T09:05:30.123456+01:00"  # British Summer Time
    assert redirected["redirection"] == "early_help" and redirected["decision_reason"]
    assert no_school["school"] is no_school["school_urn"] is no_school["school_dfe_number"] is None
    assert no_school["allocated_at"].endswith("Z") or "+" in no_school["allocated_at"]

    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    headers = token_for(admin, senco)
    rows = client.get(reverse("api:pupil-list"), **headers).json()["results"]
    assert len(rows) == 2
    for row in rows:
        assert row == client.get(reverse("api:pupil-detail", args=[row["id"]]), **headers).json()

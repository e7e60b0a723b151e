"""Each role's morning in a real browser: from their home page, through the counts shown there,
to their main work. Every page on the way passes axe-core (WCAG 2.2 AA) and HTML_CodeSniffer,
reflows at 320 CSS pixels and shows no developer wording."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.browser.conftest import check_accessibility, fits_320_css_pixels, screenshot
from tests.referrals.conftest import organisation_of
from tests.referrals.factories import ReferralAllocatedFactory, ReferralMoreInformationFactory
from tests.test_content_crawl import wording_problems


def audit(page, name: str) -> None:
    page.wait_for_load_state()
    check_accessibility(page)
    fits_320_css_pixels(page)
    problems = wording_problems(page.url, page.content())
    assert problems == [], "\n".join(problems)
    screenshot(page, f"home-journey-{name}")


@pytest.fixture
def day(world):
    """One morning's records: a question from the gateway, referrals to screen and to
    allocate, a case with an action due this week, a looked-after pupil with a PEP, and a
    suspension notified today."""
    from cases import services as case_services
    from tests.cases.factories import CaseOpenFactory, ContactFactory
    from tests.exclusions.factories import SuspensionFactory
    from tests.plans.factories import PepMeetingFactory
    from tests.pupils.factories import pupil_at
    from tests.referrals.factories import ReferralAcceptedFactory, ReferralSubmittedFactory

    school, types, member, orgs = world["school"], world["types"], world["member"], world["orgs"]
    people = {role: member(role, organisation=organisation_of(role, school, orgs)) for role in Role}
    ReferralMoreInformationFactory(
        referral_type=types["boss"],
        pupil=pupil_at(school),
        school=school,
        question="Which interventions has the school tried?",
    )
    ReferralSubmittedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school, crisis=True,
        crisis_reason="Brought a knife to school",
    )  # fmt: skip
    ReferralAcceptedFactory(referral_type=types["boss"], pupil=pupil_at(school), school=school)
    looked_after = pupil_at(school, care_status="cla")
    allocated = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=looked_after, school=school
    )
    case = CaseOpenFactory(
        referral=allocated, caseworker=people[Role.CASEWORKER], opened_on=timezone.localdate()
    )
    ContactFactory(case=case, recorded_by=people[Role.CASEWORKER])
    case_services.agree_action(
        people[Role.CASEWORKER], case, description="Call the SENCO",
        owner=people[Role.CASEWORKER], due_date=timezone.localdate(),
    )  # fmt: skip
    PepMeetingFactory(
        pupil=looked_after, school=school, recorded_by=people[Role.VIRTUAL_SCHOOL_OFFICER],
        date=timezone.localdate() - datetime.timedelta(days=30),
    )  # fmt: skip
    SuspensionFactory(
        pupil=looked_after, school=school, created_by=people[Role.SCHOOL_STAFF],
        start_date=timezone.localdate(),
    )  # fmt: skip
    return people


def follow(page, locator, name):
    locator.first.click()
    audit(page, name)


def test_the_senco_answers_the_gateway_from_the_home_page(day, sign_in):
    page = sign_in(day[Role.SCHOOL_STAFF])
    page.goto("/")
    audit(page, "school-home")
    follow(page, page.get_by_role("link", name="Answer the question"), "school-answer")
    assert page.get_by_role("heading", level=1).inner_text()
    page.goto("/")
    follow(page, page.get_by_test_id("referrals-by-status").get_by_role("link"), "school-list")
    assert "/referrals/?status=" in page.url


def test_the_screener_opens_the_crisis_referral_from_the_home_page(day, sign_in):
    page = sign_in(day[Role.GATEWAY_SCREENER])
    page.goto("/")
    audit(page, "screener-home")
    follow(page, page.get_by_role("link", name="1 at crisis point"), "screener-crisis")
    assert "flag=crisis" in page.url
    follow(page, page.get_by_test_id("queue").get_by_role("link"), "screener-screen")
    assert "/screen/" in page.url


def test_the_manager_reaches_the_allocation_page_from_the_home_page(day, sign_in):
    page = sign_in(day[Role.SERVICE_MANAGER])
    page.goto("/")
    audit(page, "manager-home")
    follow(page, page.get_by_role("link", name="1 awaiting allocation"), "manager-awaiting")
    follow(page, page.locator("main a[href*='/cases/allocate/']"), "manager-allocate")


def test_the_caseworker_marks_an_action_done_from_the_home_page(day, sign_in):
    page = sign_in(day[Role.CASEWORKER])
    page.goto("/")
    audit(page, "caseworker-home")
    follow(page, page.get_by_test_id("caseload").get_by_role("link"), "caseworker-case")
    page.goto("/")
    follow(
        page, page.get_by_test_id("due").get_by_role("link", name="Mark done"), "caseworker-done"
    )
    page.get_by_role("button").filter(has_text="done").first.click()
    audit(page, "caseworker-done-confirmed")
    assert "is done" in page.content()


def test_the_virtual_school_opens_its_cohort_from_the_home_page(day, sign_in):
    page = sign_in(day[Role.VIRTUAL_SCHOOL_OFFICER])
    page.goto("/")
    audit(page, "vso-home")
    follow(page, page.get_by_test_id("cla-count"), "vso-cohort")
    assert page.get_by_test_id("cohort").locator("tbody tr").count() == 1
    follow(page, page.get_by_test_id("cohort").get_by_role("link"), "vso-pupil")


def test_the_exclusions_officer_opens_today_s_suspension_from_the_home_page(day, sign_in):
    page = sign_in(day[Role.EXCLUSIONS_OFFICER])
    page.goto("/")
    audit(page, "exclusions-home")
    follow(page, page.get_by_test_id("notified-today").get_by_role("link"), "exclusions-record")
    assert "EXC-" in page.content()


def test_the_la_manager_goes_from_the_headline_to_every_figure(day, sign_in):
    page = sign_in(day[Role.LA_MANAGER])
    page.goto("/")
    audit(page, "la-manager-home")
    follow(page, page.get_by_role("link", name="Every figure, for all services"), "la-figures")
    assert "All services" in page.content()


def test_the_la_administrator_reaches_the_schools_from_the_home_page(day, sign_in):
    page = sign_in(day[Role.LA_ADMINISTRATOR])
    page.goto("/")
    audit(page, "la-admin-home")
    follow(page, page.get_by_role("link", name="Schools"), "la-admin-schools")


def test_a_reference_typed_in_the_header_opens_the_record(day, sign_in):
    from cases.models import Case

    case = Case.objects.get()
    page = sign_in(day[Role.CASEWORKER])
    page.goto("/")
    page.get_by_role("textbox", name="Find by reference").fill(case.reference.lower())
    page.get_by_role("button", name="Find").click()
    audit(page, "find-by-reference")
    assert page.url.endswith(reverse("cases:detail", args=[case.pk]))


def test_the_caseload_sorts_by_a_column_when_its_heading_is_pressed(day, world, sign_in):
    """MOJ's sortable table: the heading becomes a button that sorts the rows and says so
    (aria-sort) to a screen reader."""
    from tests.cases.factories import CaseOpenFactory
    from tests.pupils.factories import pupil_at

    caseworker = day[Role.CASEWORKER]
    referral = ReferralAllocatedFactory(
        referral_type=world["types"]["boss"],
        pupil=pupil_at(world["school"]),
        school=world["school"],
    )
    CaseOpenFactory(referral=referral, caseworker=caseworker, opened_on=timezone.localdate())
    page = sign_in(caseworker)
    page.goto("/")
    table = page.get_by_test_id("caseload")
    contacts = [row.inner_text() for row in table.locator("tbody tr td:nth-child(4)").all()]
    assert contacts == ["1", "0"]  # oldest case first
    table.get_by_role("button", name="Contacts").click()
    assert table.locator("th", has_text="Contacts").get_attribute("aria-sort") == "ascending"
    contacts = [row.inner_text() for row in table.locator("tbody tr td:nth-child(4)").all()]
    assert contacts == ["0", "1"]
    check_accessibility(page)


def test_the_timeout_warning_comes_two_minutes_before_and_stay_signed_in_renews(day, sign_in):
    """GOV.UK's timeout warning (WCAG 2.2.1): after 28 minutes without a request the dialog
    says the sign-out comes in 2 minutes; "Stay signed in" renews the session and closes it;
    if nobody answers, it says they have been signed out and stays on the page."""
    page = sign_in(day[Role.CASEWORKER])
    page.clock.install()
    page.goto("/")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    assert not dialog.is_visible()
    page.clock.fast_forward("27:50")
    assert not dialog.is_visible()
    page.clock.fast_forward("00:20")
    assert dialog.is_visible()
    assert "2 minutes" in dialog.inner_text()
    check_accessibility(page)
    with page.expect_response(lambda r: "/keep-alive/" in r.url) as answer:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 204
    page.wait_for_timeout(100)
    assert not dialog.is_visible()
    page.clock.fast_forward("30:05")
    ended = page.get_by_role("dialog", name="You have been signed out")
    assert ended.is_visible()
    sign_in_again = ended.get_by_role("link", name="Sign in again")
    assert sign_in_again.get_attribute("href").endswith("/sign-in/?next=%2F")
    check_accessibility(page)
    ended.get_by_role("button", name="Go back to the page").click()
    assert not ended.is_visible()
    assert page.url.endswith("/")


@pytest.mark.parametrize("record", ["case", "referral"])
def test_a_case_and_a_referral_print_as_their_summary(day, sign_in, record):
    """Printed, the page is the record: no header, menus, account bar or buttons."""
    from cases.models import Case

    case = Case.objects.get()
    page = sign_in(day[Role.CASEWORKER])
    url = {"case": reverse("cases:detail", args=[case.pk]),
           "referral": reverse("referrals:detail", args=[case.referral.pk])}[record]  # fmt: skip
    page.goto(url)
    button = page.locator("[data-app-print]")
    assert button.is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".govuk-service-navigation").is_visible()
    assert not page.locator(".app-account-bar").is_visible()
    assert not button.is_visible()
    assert page.locator("h1").is_visible()
    assert case.pupil.display_name in page.inner_text("main")

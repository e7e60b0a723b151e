"""Every page a role reaches from its navigation, in a real browser: no WCAG 2.2 A or AA
violation (axe-core), usable at 320 CSS pixels, and the skip link works from the keyboard."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.navigation import NAVIGATION
from tests.browser.conftest import check_accessibility, fits_320_css_pixels, screenshot
from tests.referrals.conftest import organisation_of
from tests.referrals.factories import ReferralAllocatedFactory


def records(world):
    """A few records of each kind so that lists and tables are drawn, not their empty states."""
    from tests.cases.factories import CaseOpenFactory, ContactFactory
    from tests.exclusions.factories import SuspensionFactory
    from tests.pupils.factories import pupil_at
    from tests.referrals.factories import ReferralSubmittedFactory

    school, types, member = world["school"], world["types"], world["member"]
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    caseworker = member(Role.CASEWORKER, organisation=world["orgs"]["boss"])
    ReferralSubmittedFactory(referral_type=types["boss"], pupil=pupil_at(school), school=school)
    allocated = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil_at(school, care_status="cla"), school=school
    )
    case = CaseOpenFactory(referral=allocated, caseworker=caseworker)
    ContactFactory(case=case, recorded_by=caseworker)
    SuspensionFactory(pupil=allocated.pupil, school=school, created_by=senco)
    return {Role.SCHOOL_STAFF: senco, Role.CASEWORKER: caseworker}


@pytest.mark.parametrize("role", list(Role))
def test_every_page_in_a_role_s_navigation_passes_axe_and_reflows(world, sign_in, role):
    people = records(world)
    user = people.get(role) or world["member"](
        role, organisation=organisation_of(role, world["school"], world["orgs"])
    )
    page = sign_in(user)
    assert NAVIGATION[role], role
    for label, url_name in NAVIGATION[role]:
        response = page.goto(reverse(url_name))
        assert response.status == 200, (label, response.status)
        check_accessibility(page)
        fits_320_css_pixels(page)
        screenshot(page, f"{role}-{label}")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(world, sign_in):
    page = sign_in(world["member"](Role.SCHOOL_STAFF, organisation=world["school"].organisation))
    page.goto(reverse("pupils:search"))
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    background = page.evaluate("() => getComputedStyle(document.activeElement).backgroundColor")
    assert outline != "none" or background != "rgba(0, 0, 0, 0)", "focus is not visible"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main-content"


def test_the_checker_reports_a_violation_with_its_rule_element_and_page(world, sign_in):
    from tests.browser.conftest import AccessibilityViolation

    page = sign_in(world["member"](Role.SCHOOL_STAFF, organisation=world["school"].organisation))
    page.goto(reverse("pupils:search"))
    page.evaluate(
        "() => { const b = document.createElement('button'); b.id = 'nameless';"
        " document.querySelector('main').append(b); }"
    )
    with pytest.raises(AccessibilityViolation) as raised:
        check_accessibility(page)
    report = str(raised.value)
    assert "/pupils/" in report and "button-name" in report and "#nameless" in report


def test_the_second_engine_finds_what_axe_does_not(world, sign_in):
    """HTML_CodeSniffer (pa11y's engine) fails a form with no submit button (WCAG 3.2.2, H32.2),
    a rule axe-core does not have."""
    from tests.browser.conftest import AccessibilityViolation

    page = sign_in(world["member"](Role.SCHOOL_STAFF, organisation=world["school"].organisation))
    page.goto(reverse("pupils:search"))
    page.evaluate(
        "() => { const f = document.createElement('form'); f.id = 'no-submit';"
        ' f.innerHTML = \'<label for="x">Name</label><input id="x" name="x">\';'
        " document.querySelector('main').append(f); }"
    )
    with pytest.raises(AccessibilityViolation) as raised:
        check_accessibility(page)
    report = str(raised.value)
    assert "htmlcs WCAG2AA.Principle3.Guideline3_2.3_2_2.H32.2" in report
    assert "no-submit" in report
    assert report.count("- ") == 1  # axe-core itself found nothing


def test_the_accessibility_statement_is_public_linked_from_every_page_and_passes_axe(page, world):
    page.goto(reverse("accounts:sign-in"))
    page.get_by_role("link", name="Accessibility statement").click()
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith("Accessibility statement for")
    )
    for heading in [
        "How accessible this service is",
        "Feedback and contact information",
        "Technical information about this service's accessibility",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ]:
        assert page.get_by_role("heading", name=heading).count() == 1, heading
    check_accessibility(page)
    fits_320_css_pixels(page)
    screenshot(page, "accessibility-statement")


@pytest.mark.parametrize("url_name", ["pupils:search", "referrals:start"])
def test_pupil_search_results_come_as_the_user_types_and_are_announced(world, sign_in, url_name):
    """Progressive enhancement: with JavaScript the results follow the typing (htmx swaps them
    in and a status message says how many); without it the Search button does the same."""
    from tests.pupils.factories import pupil_at

    school = world["school"]
    pupil_at(school, legal_first_name="Riley", legal_last_name="Stone")
    pupil_at(school, legal_first_name="Amir", legal_last_name="Patel")
    pupil_at(school, legal_first_name="Jo", legal_last_name="Patel")
    page = sign_in(world["member"](Role.SCHOOL_STAFF, organisation=school.organisation))
    page.goto(reverse(url_name))
    box, results = page.locator("#id_q"), page.locator("#search-results")
    box.press_sequentially("Patel", delay=50)
    results.get_by_text("Amir Patel").wait_for()
    assert "Stone" not in results.inner_text()
    assert page.get_by_role("status").inner_text() == "2 pupils found"
    box.fill("")
    box.press_sequentially("Stone", delay=50)
    results.get_by_text("Amir Patel").wait_for(state="detached")
    assert "Riley Stone" in results.inner_text()
    assert page.get_by_role("status").inner_text() == "1 pupil found"
    assert "q=Stone" in page.url  # the address follows, so Back and a bookmark work
    check_accessibility(page)
    assert page.evaluate("() => JSON.stringify(localStorage)") == "{}"  # no pupil kept there


@pytest.mark.parametrize("javascript", [True, False])
def test_a_school_is_chosen_by_typing_part_of_its_name(world, open_as, javascript):
    """A list of every school in the authority is a long select; with JavaScript it becomes
    GOV.UK's accessible autocomplete, and without it the select is still there."""
    from tests.pupils.factories import SchoolFactory, pupil_at
    from tests.referrals.factories import ReferralSubmittedFactory

    school, types = world["school"], world["types"]
    authority = school.organisation.local_authority
    heath = SchoolFactory(organisation__local_authority=authority, name="Heath Academy")
    for name in ["Beacon Primary", "Castle Hill Juniors", "Dale Infants"]:
        SchoolFactory(organisation__local_authority=authority, name=name)
    for where, pupil_name in [(school, "Stone"), (heath, "Patel")]:
        ReferralSubmittedFactory(referral_type=types["boss"], school=where,
                                 pupil=pupil_at(where, legal_last_name=pupil_name))  # fmt: skip
    screener = world["member"](Role.GATEWAY_SCREENER, organisation=world["orgs"]["prt"])
    page = open_as(screener, javascript=javascript)
    page.goto(reverse("referrals:queue"))
    if javascript:
        box = page.get_by_role("combobox", name="School")
        box.press_sequentially("heath", delay=30)
        page.get_by_role("option", name="Heath Academy").wait_for()
        check_accessibility(page)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        assert box.input_value() == "Heath Academy"
    else:
        page.get_by_label("School").select_option(label="Heath Academy")
    page.get_by_role("button", name="Filter").click()
    assert f"school={heath.pk}" in page.url
    table = page.locator("main table").inner_text()
    assert "Patel" in table and "Stone" not in table


def test_the_school_records_an_ehc_plan_from_the_pupils_page_with_a_mistake_corrected(
    world, sign_in
):
    """The SEN form, its error summary and the pupil's SEN history pass both engines."""
    from tests.pupils.factories import pupil_at

    school = world["school"]
    pupil = pupil_at(school, legal_first_name="Ada", preferred_first_name="")
    page = sign_in(world["member"](Role.SCHOOL_STAFF, organisation=school.organisation))
    page.goto(reverse("pupils:detail", args=[pupil.pk]))
    page.get_by_role("link", name="Record or correct special educational needs").click()
    check_accessibility(page)
    page.get_by_label("An education, health and care plan (EHCP)").check()
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert "Select the pupil's primary need" in summary.inner_text()
    check_accessibility(page)
    page.get_by_label("Primary need").select_option("ASD")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save").click()
    assert "special educational needs are recorded" in page.content()
    assert "From 12 January 2026; autistic spectrum disorder" in page.content()
    check_accessibility(page)
    fits_320_css_pixels(page)


def test_an_imports_progress_and_its_report_pass_both_engines(world, sign_in):
    """While the looked-after return loads, its page shows a progress bar with its numbers; after,
    the report of each child. Both pass axe and HTML_CodeSniffer and reflow at 320 pixels."""
    from django.core.cache import cache
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pupils import services
    from pupils.models import ImportJob, ImportStatus
    from tests.pupils.factories import pupil_at

    school = world["school"]
    officer = world["member"](Role.VIRTUAL_SCHOOL_OFFICER,
                              organisation=world["orgs"]["virtual-school"])  # fmt: skip
    upn = pupil_at(school).upn
    job = services.queue_looked_after_import(
        officer, authority=school.organisation.local_authority,
        header=SimpleUploadedFile("h.csv", f"CHILD,SEX,DOB,UPN\nC1,1,01/01/2014,{upn}\n".encode()),
        episodes=SimpleUploadedFile("e.csv", b"CHILD,DECOM,DEC,REC\nC1,01/09/2025,,\n"),
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    cache.set(services.PROGRESS_KEY.format(job.pk), (0, 1), 60)
    page = sign_in(officer)
    page.goto(reverse("pupils:import", args=[job.pk]))
    assert page.locator("progress").get_attribute("max") == "1"
    check_accessibility(page)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    services.run_import(job.pk)
    page.wait_for_selector("[data-testid=report]", timeout=10_000)  # the page reloads itself
    assert "Looked after (CLA) from 1 September 2025." in page.content()
    check_accessibility(page)
    fits_320_css_pixels(page)


def test_a_transfer_files_report_and_its_match_to_confirm_pass_both_engines(world, sign_in):
    """The report of a Common Transfer File, filtered to the pupils to confirm, and the page
    where a person confirms one: both engines, and reflow at 320 pixels."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pupils import services
    from tests.pupils.ctf_files import Pupil, new_upn, transfer_file
    from tests.pupils.factories import pupil_at

    school = world["school"]
    authority = school.organisation.local_authority
    admin = world["member"](Role.LA_ADMINISTRATOR, organisation=authority)
    twin = pupil_at(school, legal_first_name="Amira", legal_last_name="Khan")
    data = transfer_file(school, [
        Pupil(new_upn(911), forename="Amira", surname="Khan", dob=twin.date_of_birth.isoformat()),
        Pupil(new_upn(912), forename="Kofi", surname="Osei", sex="M", sen=[("2025-09-08", "K")],
              needs=["SEMH"]),
    ])  # fmt: skip
    job = services.queue_transfer_file(admin, authority=authority,
                                       upload=SimpleUploadedFile("ctf.xml", data))  # fmt: skip
    job = services.run_import(job.pk)
    page = sign_in(admin)
    page.goto(reverse("pupils:import", args=[job.pk]))
    assert "Match to confirm (1)" in page.content()
    check_accessibility(page)
    fits_320_css_pixels(page)
    page.get_by_role("link", name="Confirm the match for Amira Khan").click()
    page.get_by_role("button", name="Confirm").click()
    assert "Select the pupil" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page)
    fits_320_css_pixels(page)
    page.get_by_label(f"UPN {twin.upn}", exact=False).check()
    page.get_by_role("button", name="Confirm").click()
    assert "Amira Khan is matched" in page.content()


def test_duplicate_pupils_and_the_merge_page_pass_both_engines(world, sign_in):
    """The LA administrator's duplicate pupils (a group of two records) and the page that
    compares them, with the error shown when nothing is chosen: both engines, 320 pixels."""
    from tests.pupils.factories import pupil_at

    school = world["school"]
    admin = world["member"](Role.LA_ADMINISTRATOR,
                            organisation=school.organisation.local_authority)  # fmt: skip
    first = pupil_at(school, legal_first_name="Amira", legal_last_name="Khan")
    pupil_at(school, legal_first_name="Amira", legal_last_name="Khan",
             date_of_birth=first.date_of_birth)  # fmt: skip
    page = sign_in(admin)
    page.goto(reverse("pupils:duplicates"))
    assert "Amira Khan, born" in page.content()
    check_accessibility(page)
    fits_320_css_pixels(page)
    page.get_by_role("link", name=f"Compare with UPN {first.upn}").click()
    page.get_by_role("button", name="Merge the records").click()
    assert "Select the record to keep" in page.locator(".govuk-error-summary").inner_text()
    check_accessibility(page)
    fits_320_css_pixels(page)


def test_a_letter_to_parents_passes_both_engines_blocked_and_complete(world, sign_in):
    """The letter page while facts are missing (the banner with where to add them), then
    complete with its download links and the forms that record its sending: both engines,
    320 pixels."""
    from exclusions import services
    from exclusions.models import LetterSettings
    from tests.exclusions.factories import SuspensionFactory
    from tests.pupils.factories import pupil_at

    school = world["school"]
    senco = world["member"](Role.SCHOOL_STAFF, organisation=school.organisation)
    exclusion = SuspensionFactory(pupil=pupil_at(school), school=school, created_by=senco)
    page = sign_in(senco)
    page.goto(reverse("exclusions:letter", args=[exclusion.pk, "suspension_short"]))
    assert "The letter cannot be produced until" in page.content()
    check_accessibility(page)
    fits_320_css_pixels(page)
    LetterSettings.objects.create(
        authority=school.organisation.local_authority, sendiass="SENDIASS, 01632 960 100",
        behaviour_officer="Behaviour officer, 01632 960 101", review_address="Town Hall",
    )  # fmt: skip
    services.record_work_set(senco, exclusion, work_set="Reading and maths booklets")
    page.get_by_label("How to make representations").fill("Write to the clerk, Mill Lane")
    page.get_by_label("Signed by").fill("A Okafor, headteacher")
    page.get_by_role("button", name="Save the letter").click()
    assert "Download the letter as Word" in page.content()
    check_accessibility(page)
    fits_320_css_pixels(page)

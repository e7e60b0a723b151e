"""Each user's main journey in a real browser: with the mouse, with the keyboard alone and
with JavaScript switched off. axe-core checks every page the journey visits."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import Hands, check_accessibility, screenshot

WAYS = {
    "mouse": {"keyboard": False, "javascript": True},
    "keyboard": {"keyboard": True, "javascript": True},
    "no-javascript": {"keyboard": False, "javascript": False},
}
# What the SENCO writes on the referral's question pages, by the question's label.
ANSWERS = {
    "Why are you referring the pupil?": "Escalating incidents in lessons since September",
    "What concerns you most about the pupil's behaviour?": "Leaving lessons; verbal aggression",
    "What are the pupil's strengths and interests?": "Football, art",
    "What does the pupil say? (in their own words)": "Teachers pick on me",
    "What does the parent or carer say? (in their words)": "We want a fresh start",
    "What has been tried at that step, and what happened?": "Mentor and report card: no change",
    "Who gave consent for the referral?": "Jo Stone (mother)",
}


def visit(page, name: str, way: str) -> None:
    """Every page of a journey: axe-core finds nothing; the mouse run keeps a screenshot. (axe
    needs JavaScript in the page: with it off, the same pages were checked in the other runs.)"""
    if WAYS[way]["javascript"]:
        check_accessibility(page)
    if way == "mouse":
        screenshot(page, name)


def fill_date(hands, page, field: str, date) -> None:
    for part, value in enumerate([date.day, date.month, date.year]):
        hands.fill(page.locator(f"#id_{field}_{part}"), str(value))


def sign_in_with_password(hands, page, user) -> None:
    page.goto(reverse("accounts:sign-in"))
    hands.fill(page.get_by_label("Email address"), user.email)
    hands.fill(page.get_by_label("Password"), PASSWORD)
    hands.press(page.get_by_role("button", name="Sign in"))


@pytest.mark.parametrize("way", list(WAYS))
def test_a_senco_refers_and_the_screener_accepts_after_asking_for_more(world, open_as, way):
    """Journeys 1 and 2: a SENCO finds a pupil, fills in a BOSS referral with the pupil's PSP,
    corrects a mistake from the error summary, checks the answers, sends it and reads the
    reference; the PRT screener asks for more information, the SENCO answers, the screener
    accepts."""
    from referrals.models import Referral, Status
    from tests.plans.factories import PspActiveFactory
    from tests.pupils.factories import pupil_at

    keyboard, javascript = WAYS[way]["keyboard"], WAYS[way]["javascript"]
    school, member = world["school"], world["member"]
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    screener = member(Role.GATEWAY_SCREENER, organisation=world["orgs"]["prt"])
    pupil = pupil_at(school, legal_first_name="Riley", legal_last_name="Stone")
    PspActiveFactory(pupil=pupil, school=school, created_by=senco,
                     start_date=datetime.date(2026, 6, 8))  # fmt: skip

    page = open_as(javascript=javascript)
    hands = Hands(page, keyboard=keyboard, audit=javascript)
    sign_in_with_password(hands, page, senco)
    page.goto(reverse("referrals:start"))
    hands.fill(page.get_by_label("Pupil's name or UPN"), "Stone")
    hands.press(page.get_by_role("button", name="Find pupil"))
    visit(page, "1-find-the-pupil", way)
    hands.press(page.get_by_role("link", name="Refer Riley Stone"))
    hands.choose(page.get_by_label("BOSS individual referral"))
    visit(page, "1-choose-the-referral", way)
    hands.press(page.get_by_role("button", name="Continue"))

    # The form is a GOV.UK task list: each section is opened from it and returns to it.
    assert page.get_by_test_id("tasks").count()
    visit(page, "1-the-task-list", way)
    mistake_made, pages = False, []
    while True:
        tasks = page.get_by_test_id("tasks")
        waiting = tasks.locator("li", has_text="Not yet started").get_by_role("link")
        waiting = waiting.filter(has_not_text="Documents").filter(has_not_text="Check")
        if not waiting.count():
            break
        hands.press(waiting.first)
        pages.append(page.locator("h1").inner_text())
        assert len(pages) < 8, f"the question pages went round: {pages}"
        for label, text in ANSWERS.items():
            if page.get_by_label(label, exact=True).count():
                hands.fill(page.get_by_label(label, exact=True), text)
        if page.locator("#id_previous_step_started_0").count():
            assert "12 school weeks" in page.get_by_test_id("ladder-rule").inner_text()
            if not mistake_made:  # 31 February: the error summary, then back to the field
                fill_date(hands, page, "previous_step_started", _Day(31, 2, 2026))
                hands.press(page.get_by_role("button", name="Save and continue"))
                summary = page.locator(".govuk-error-summary")
                assert "There is a problem" in summary.inner_text()
                assert (
                    "The date the previous step began must be a real date" in summary.inner_text()
                )
                visit(page, "1-a-mistake-in-the-error-summary", way)
                link = summary.get_by_role("link").first
                hands.press(link, navigates=not javascript)
                if javascript:
                    assert page.evaluate("() => document.activeElement.id").startswith(
                        "id_previous_step_started"
                    )
                mistake_made = True
            fill_date(hands, page, "previous_step_started", datetime.date(2026, 6, 1))
        if page.locator("#id_consent_given_on_0").count():
            fill_date(hands, page, "consent_given_on", datetime.date.today())
            hands.choose(page.get_by_label("By phone", exact=True))
        visit(page, f"1-question-{page.locator('h1').inner_text()}", way)
        hands.press(page.get_by_role("button", name="Save and continue"))
    assert mistake_made
    assert "Cannot start yet" in page.get_by_test_id("tasks").inner_text()  # the PSP first
    hands.press(page.get_by_test_id("tasks").get_by_role("link", name="Documents"))

    assert page.locator("h1").inner_text() == "Documents"
    hands.press(page.get_by_role("button", name="Link plan"))
    assert "Linked: the plan started on 8 June 2026" in page.inner_text("main")
    visit(page, "1-documents", way)
    hands.press(page.get_by_role("button", name="Continue"))
    assert page.locator("h1").inner_text() == "Check your answers before sending the referral"
    assert ANSWERS["Why are you referring the pupil?"] in page.inner_text("main")
    visit(page, "1-check-your-answers", way)
    hands.press(page.get_by_role("button", name="Accept and send"))
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"REF-\d{4}-\d{6}", reference)
    visit(page, "1-referral-sent", way)
    assert Referral.objects.get(reference=reference).status == Status.SUBMITTED

    gateway = open_as(screener, javascript=javascript)
    gateway_hands = Hands(gateway, keyboard=keyboard, audit=javascript)
    gateway.goto(reverse("referrals:queue"))
    visit(gateway, "2-screening-queue", way)
    gateway_hands.press(gateway.get_by_role("link", name=reference))
    gateway_hands.choose(gateway.get_by_label("Ask the school for more information"))
    gateway_hands.fill(
        gateway.get_by_label("What information does the school need to give?"),
        "Please attach the latest PSP review",
    )
    visit(gateway, "2-screening-a-referral", way)
    gateway_hands.press(gateway.get_by_role("button", name="Record decision"))

    page.goto(reverse("referrals:list"))
    hands.press(page.get_by_role("link", name=reference))
    assert "Please attach the latest PSP review" in page.inner_text("main")
    visit(page, "2-the-school-is-asked", way)
    hands.press(page.get_by_role("link", name="Answer the question"))
    hands.fill(page.get_by_label("Your answer"), "Reviewed on 2 November: targets met in part")
    hands.press(page.get_by_role("button", name="Send answer"))

    gateway.goto(reverse("referrals:screen", args=[Referral.objects.get(reference=reference).pk]))
    assert "Reviewed on 2 November" in gateway.inner_text("main")
    gateway_hands.choose(gateway.get_by_label("Accept and route to a service"))
    gateway_hands.select(gateway.get_by_label("Service to accept the referral into"),
                         "BOSS")  # fmt: skip
    for box in gateway.locator(".govuk-checkboxes__input").all():
        gateway_hands.choose(box)
    gateway_hands.press(gateway.get_by_role("button", name="Record decision"))
    visit(gateway, "2-accepted", way)
    assert Referral.objects.get(reference=reference).status == Status.ACCEPTED


class _Day:
    """A date as typed, which need not exist (31 February)."""

    def __init__(self, day, month, year):
        self.day, self.month, self.year = day, month, year


@pytest.mark.parametrize("way", ["mouse", "no-javascript"])
def test_a_caseworker_signs_in_with_a_code_from_their_authenticator(world, open_as, way):
    """Journey 6: password, then the six-digit code; a wrong code is refused by the field."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    caseworker = world["member"](Role.CASEWORKER, organisation=world["orgs"]["boss"])
    device = TOTPDevice.objects.create(user=caseworker, name="Phone", confirmed=True)
    page = open_as(javascript=WAYS[way]["javascript"])
    hands = Hands(page, audit=WAYS[way]["javascript"])
    sign_in_with_password(hands, page, caseworker)
    code_box = page.get_by_label("Code from your authenticator app")
    visit(page, "6-two-factor", way)
    hands.fill(code_box, "000000" if totp(device.bin_key) != 0 else "111111")
    hands.press(page.get_by_role("button", name="Continue"))
    assert page.locator(".govuk-error-summary").count() == 1
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    hands.fill(page.get_by_label("Code from your authenticator app"), code)
    hands.press(page.get_by_role("button", name="Continue"))
    assert page.get_by_test_id("current-organisation").inner_text() == "BOSS"
    visit(page, "6-signed-in", way)


def fill_form(hands, page, fields: dict) -> None:
    """Labels to values: text for a box, a date for a date input, True for a radio or a box."""
    for label, value in fields.items():
        if isinstance(value, datetime.date):
            field_id = (
                page.get_by_role("group", name=label).locator("input").first.get_attribute("id")
            )
            fill_date(hands, page, field_id.removeprefix("id_").removesuffix("_0"), value)
        elif value is True:
            hands.choose(page.get_by_label(label, exact=True))
        else:
            hands.fill(page.get_by_label(label, exact=True), value)


@pytest.mark.parametrize("way", ["mouse", "no-javascript"])
def test_a_case_is_allocated_worked_closed_and_its_bip_handed_to_the_school(world, open_as, way):
    """Journey 3: the BOSS manager allocates; the caseworker records three contacts, writes the
    BIP and closes the case after a multi-agency meeting; the school then reads the BIP."""
    from cases.models import Case, CaseStatus
    from tests.pupils.factories import pupil_at
    from tests.referrals.factories import ReferralAcceptedFactory

    javascript = WAYS[way]["javascript"]
    school, member, boss = world["school"], world["member"], world["orgs"]["boss"]
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    manager = member(Role.SERVICE_MANAGER, organisation=boss)
    caseworker = member(Role.CASEWORKER, organisation=boss, full_name="Sam Okafor")
    referral = ReferralAcceptedFactory(
        referral_type=world["types"]["boss"], school=school,
        pupil=pupil_at(school, legal_first_name="Riley", legal_last_name="Stone"),
    )  # fmt: skip
    today = datetime.date.today()

    page = open_as(manager, javascript=javascript)
    hands = Hands(page, audit=javascript)
    page.goto(reverse("referrals:awaiting"))
    visit(page, "3-awaiting-allocation", way)
    hands.press(page.get_by_role("link", name=f"Allocate {referral.reference}"))
    hands.choose(page.get_by_label(re.compile(f"^{caseworker.full_name}")))
    visit(page, "3-allocate", way)
    hands.press(page.get_by_role("button", name="Allocate and open the case"))
    case = Case.objects.get(referral=referral)
    assert case.caseworker == caseworker

    page = open_as(caseworker, javascript=javascript)
    hands = Hands(page, audit=javascript)
    page.goto(reverse("cases:mine"))
    visit(page, "3-my-cases", way)
    page.goto(reverse("cases:detail", args=[case.pk]))
    for number, kind in enumerate(["School visit", "Phone call", "Direct work with the pupil"]):
        hands.press(page.get_by_role("link", name="Record a contact"))
        fill_form(hands, page, {
            "Date of the contact": today, kind: True, "Who took part": "SENCO, form tutor",
            "Duration in minutes": "45", "Notes": f"Contact {number + 1}: agreed a time-out card",
        })  # fmt: skip
        if number == 0:
            visit(page, "3-record-a-contact", way)
        hands.press(page.get_by_role("button", name="Save contact"))
    assert case.contacts.count() == 3
    hands.press(page.get_by_role("link", name="Write the Behaviour Improvement Plan"))
    fill_form(hands, page, {
        "Our understanding of the pupil's needs": "Anxiety in unstructured time",
        "Strategies": "Time-out card; a calm space at lunch", "Targets": "Stays in lessons",
        "Who does what": "Form tutor checks in daily; SENCO reviews weekly",
    })  # fmt: skip
    visit(page, "3-write-the-bip", way)
    hands.press(page.get_by_role("button", name="Save"))
    assert "Anxiety in unstructured time" in page.inner_text("main")
    page.goto(reverse("cases:detail", args=[case.pk]))
    hands.press(page.get_by_role("link", name="Record a multi-agency meeting"))
    fill_form(hands, page, {
        "Date of the meeting": today, "Who attended": "Parent, SENCO, BOSS, Early Help",
        "Agreed next steps": "School continues the BIP; Early Help for the family",
    })  # fmt: skip
    hands.press(page.locator("main form button[type=submit]"))
    hands.press(page.get_by_role("link", name="Close the case"))
    fill_form(hands, page, {"Risk of exclusion reduced": True, "Yes": True})
    visit(page, "3-close-the-case", way)
    hands.press(page.locator("main form button[type=submit]"))
    assert "Are you sure you want to close the case?" in page.inner_text("main")
    assert "the school (" in page.get_by_test_id("will-be-told").inner_text()
    visit(page, "3-confirm-closing-the-case", way)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN  # asked, not yet closed
    hands.press(page.get_by_role("button", name="Close the case"))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert "The case is closed. Told: the school (" in page.inner_text("main")

    school_page = open_as(senco, javascript=javascript)
    school_page.goto(reverse("plans:list"))
    Hands(school_page, audit=javascript).press(school_page.get_by_role("link", name="Riley Stone"))
    assert "Time-out card; a calm space at lunch" in school_page.inner_text("main")
    visit(school_page, "3-the-school-reads-the-bip", way)


@pytest.mark.parametrize("way", ["mouse", "no-javascript"])
def test_a_manager_drills_into_a_figure_and_downloads_the_spreadsheet(world, open_as, way):
    """Journey 5: the quarterly dashboard, the records behind a figure, the XLSX download."""
    import io
    from pathlib import Path

    from django.utils import timezone
    from openpyxl import load_workbook

    from tests.pupils.factories import pupil_at
    from tests.referrals.factories import ReferralSubmittedFactory

    school, bass = world["school"], world["orgs"]["bass"]
    for name in ["Stone", "Ahmed", "Kowalski"]:
        ReferralSubmittedFactory(referral_type=world["types"]["bass"], school=school,
                                 pupil=pupil_at(school, legal_last_name=name),
                                 submitted_at=timezone.now())  # fmt: skip
    manager = world["member"](Role.SERVICE_MANAGER, organisation=bass)
    page = open_as(manager, javascript=WAYS[way]["javascript"])
    hands = Hands(page, audit=WAYS[way]["javascript"])
    page.goto(reverse("reporting:services"))
    visit(page, "5-quarterly-figures", way)
    received = page.get_by_test_id("figure-received").get_by_role("link")
    assert received.inner_text() == "3"
    hands.press(received)
    assert page.locator("h1").inner_text().startswith("3 records behind")
    for name in ["Stone", "Ahmed", "Kowalski"]:
        assert name in page.inner_text("main")
    visit(page, "5-records-behind-a-figure", way)
    hands.press(page.get_by_role("link", name="Back to the figures"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows == [("By type", "Count"), ("BASS individual", 3), ("Total", 3)]


@pytest.mark.parametrize("way", ["mouse", "no-javascript"])
def test_a_permanent_exclusion_from_notice_to_the_board_s_reconsideration(world, open_as, way):
    """Journey 4: a school notifies a permanent exclusion; the LA's exclusions officer sees the
    board-meeting deadline; the board's decision and the application for an independent review
    are recorded; after the panel's decision the reconsideration deadline appears."""
    from deadlines.models import DeadlineKind
    from exclusions.models import Exclusion
    from tests.pupils.factories import pupil_at

    def step(code):
        return DeadlineKind.objects.get(code=code).name

    javascript = WAYS[way]["javascript"]
    school, member = world["school"], world["member"]
    senco = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    officer = member(Role.EXCLUSIONS_OFFICER)
    pupil = pupil_at(school, legal_first_name="Riley", legal_last_name="Stone")
    # The exclusion starts on a school day: today, or Friday when the tests run at a weekend.
    today = datetime.date.today()
    today -= datetime.timedelta(days=max(0, today.weekday() - 4))

    page = open_as(senco, javascript=javascript)
    hands = Hands(page, audit=javascript)
    page.goto(reverse("exclusions:notify", args=[pupil.pk]))

    def answer(fields):
        fill_form(hands, page, fields)
        hands.press(page.get_by_role("button", name="Continue"))

    # One question a page, then Check your answers (the GOV.UK question pages pattern).
    visit(page, "4-notify-an-exclusion", way)
    answer({"Permanent exclusion": True})
    answer({"What is the first school day of the exclusion?": today})
    hands.choose(page.get_by_role("group", name="Why was the pupil excluded?").get_by_role(
        "checkbox").first)  # fmt: skip
    hands.press(page.get_by_role("button", name="Continue"))
    answer({"What happened?": "Serious assault"})
    answer({"No": True})
    answer({"When were the parents told?": today, "How were they told?": "Meeting and letter"})
    answer({})  # the board and the authority told today, by email: the answers already given
    answer({})  # no work set yet
    visit(page, "4-notify-check-your-answers", way)
    hands.press(page.get_by_role("button", name="Send the notice"))
    exclusion = Exclusion.objects.get(pupil=pupil)

    la = open_as(officer, javascript=javascript)
    la_hands = Hands(la, audit=javascript)
    la.goto(reverse("exclusions:register"))
    assert (
        step("board-consider") in la.get_by_role("row", name=re.compile("Riley Stone")).inner_text()
    )
    visit(la, "4-exclusions-register", way)
    la_hands.press(la.get_by_role("link", name="Riley Stone"))
    assert step("board-consider") in la.get_by_test_id("steps").inner_text()

    page.goto(reverse("exclusions:detail", args=[exclusion.pk]))
    hands.press(page.get_by_role("link", name="The governing board's decision"))
    fill_form(hands, page, {"Uphold": True, "Date of the decision": today,
                            "Date the notice of the decision was sent to the parents": today,
                            "By email": True})  # fmt: skip
    visit(page, "4-the-board-s-decision", way)
    hands.press(page.locator("main form button[type=submit]"))

    la.goto(reverse("exclusions:detail", args=[exclusion.pk]))
    assert step("review-application") in la.get_by_test_id("steps").inner_text()
    la_hands.press(la.get_by_role("link", name="Application for an independent review"))
    fill_form(la_hands, la, {"Date of the application": today})
    la_hands.press(la.locator("main form button[type=submit]"))
    la.goto(reverse("exclusions:detail", args=[exclusion.pk]))
    assert step("panel-meeting") in la.get_by_test_id("steps").inner_text()
    la_hands.press(la.get_by_role("link", name="The panel's decision"))
    fill_form(la_hands, la, {
        "Quash and direct the board to reconsider": True, "Date of the decision": today,
        "Date the board was told": today,
    })  # fmt: skip
    la_hands.press(la.locator("main form button[type=submit]"))
    la.goto(reverse("exclusions:detail", args=[exclusion.pk]))
    assert step("board-reconsider") in la.get_by_test_id("steps").inner_text()
    visit(la, "4-the-reconsideration-deadline", way)

"""Statutory letters: each letter to parents is written from the exclusion's record with the
dates the deadline engine gives, and says every item the law requires for its situation
(``exclusions.letters.REQUIRED``, each item citing the regulation or guidance paragraph). The
worked examples run on the fixture calendar (tests/conftest.py): Easter holiday 30 March to
10 April 2026."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from config.errors import DomainError
from deadlines.codes import KindCode
from deadlines.models import DeadlineStatus
from deadlines.selectors import deadlines_of, live_for
from exclusions import letters, services
from exclusions.models import LetterSettings, LetterTemplate, ReasonCode, Situation
from tests.deadlines.test_notify import fake_notify  # noqa: F401  (the local Notify)
from tests.exclusions.test_statutory_steps import notify
from tests.pupils.factories import PupilContactFactory, pupil_at

D = datetime.date
pytestmark = pytest.mark.django_db
PARTS = {
    "representations": "Write to Ms J Patel, clerk to the governing board, Oakfield School, "
    "Mill Lane, Northmoor NM1 2AB, or email clerk@oakfield.example",
    "message": "",
    "signed_by": "A Okafor, headteacher",
}


@pytest.fixture
def staff(school, member):
    return member(Role.SCHOOL_STAFF, organisation=school.organisation)


@pytest.fixture
def advice(authority):
    return LetterSettings.objects.create(
        authority=authority,
        sendiass="Northmoor SENDIASS, 01234 567890, sendiass@northmoor.example",
        behaviour_officer="Parent Partnership behaviour officer, 01234 567891",
        review_address="Exclusions Team, Northmoor Council, Town Hall, NM1 1AA",
    )


def letter_text(exclusion, situation) -> tuple[str, list]:
    from exclusions.models import Letter

    letter = Letter.objects.get(exclusion=exclusion, situation=situation)
    facts, missing = letters.facts_of(exclusion, situation, letter.parts)
    return "\n".join(letters.paragraphs(letter.template, facts)), missing


def prepared(staff, exclusion, situation, *, on):
    """The school records the work set and any sixth-day provision, then writes the letter."""
    with time_machine.travel(datetime.datetime.combine(on, datetime.time(16)), tick=False):
        services.record_work_set(staff, exclusion, work_set="Maths and English booklets, "
                                 "marked by Mr Reid on the pupil's return")  # fmt: skip
        if deadlines_of(exclusion, KindCode.SIXTH_DAY).exists():
            exclusion.sixth_day_provision = (
                "Northmoor Learning Centre, Park Road NM2 3CD, 9am to 3pm; report to Mrs Shah"
            )
            exclusion.save(update_fields=["sixth_day_provision"])
        services.write_letter(staff, exclusion, situation=situation, parts=PARTS)
        return letter_text(exclusion, situation)


@pytest.mark.parametrize(
    ("kind", "sessions", "start", "situation", "dates"),
    [
        # 2 days: Monday 2 and Tuesday 3 March; back on Wednesday 4 March.
        ("suspension", 4, D(2026, 3, 2), Situation.SUSPENSION_SHORT,
         ["Monday 2 March 2026", "Tuesday 3 March 2026"]),
        # 8 days from Monday 2 March: the sixth school day is Monday 9 March; if the parents
        # ask, the board meets within 50 school days of its notice (Monday 2 March): across
        # the Easter holiday, May Day and the May half term, Tuesday 2 June.
        ("suspension", 16, D(2026, 3, 2), Situation.SUSPENSION_MEDIUM,
         ["Monday 9 March 2026", "Wednesday 11 March 2026", "Tuesday 2 June 2026"]),
        # 17 days from Monday 13 April (May Day, 4 May, is no school day) end on Wednesday 6
        # May; the board must meet within 15 school days of the notice: Tuesday 5 May.
        ("suspension", 34, D(2026, 4, 13), Situation.SUSPENSION_LONG,
         ["Wednesday 6 May 2026", "Tuesday 5 May 2026"]),
        # Permanent from Monday 16 March: the board meets by Monday 20 April; the authority's
        # provision from the sixth school day, Monday 23 March.
        ("permanent", None, D(2026, 3, 16), Situation.PERMANENT,
         ["Monday 20 April 2026", "Monday 23 March 2026"]),
    ],
)  # fmt: skip
def test_the_heads_letter_says_every_item_the_law_requires_with_the_engines_dates(
    staff, school, advice, kind, sessions, start, situation, dates
):
    """The 2012 Regulations, regulations 5 and 6 (23 and 24 for academies), and the 2007
    Regulations: the head's letter says every item the law requires, with the dates the deadline
    engine counts."""
    pupil = pupil_at(school, legal_first_name="Amira", legal_last_name="Khan")
    PupilContactFactory(pupil=pupil, name="Farah Khan")
    exclusion = notify(staff, pupil, school, kind, start=start, sessions=sessions)
    assert letters.situations_for(exclusion) == [situation]
    text, missing = prepared(staff, exclusion, situation, on=start)
    assert missing == []
    for item in letters.REQUIRED[situation]:
        for shown in item.shows(letters.facts_of(exclusion, situation, PARTS)[0]):
            assert shown and shown in text, (item.label, item.source, shown)
    for day in dates:
        assert day in text
    assert "Dear Farah Khan" in text
    assert ReasonCode.objects.get(code="VA").label in text, "the reason in words"
    assert "VA" not in text.split()


def test_the_board_s_letter_gives_the_last_day_to_apply_for_a_review_by_the_postal_rule(
    staff, school, advice
):
    """The parents may apply within 15 school days of the day the notice of the board's
    decision is given (2012 Regulations, Schedule 1, paragraph 2); posted first class on
    Thursday 5 March 2026, it is given on the second working day after: Monday 9 March. The
    fifteenth school day after that falls after the Easter holiday: Monday 13 April."""
    exclusion = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    with time_machine.travel(datetime.datetime(2026, 3, 5, 16), tick=False):
        services.record_board_decision(
            staff, exclusion, reinstate=False, decided_on=D(2026, 3, 5),
            parents_told_on=D(2026, 3, 5), parents_told_how="post",
            note="The board found the assault proved on the evidence of two witnesses.",
        )  # fmt: skip
    exclusion.refresh_from_db()
    situation = Situation.BOARD_UPHELD_PERMANENT
    assert letters.situations_for(exclusion)[-1] == situation
    text, missing = prepared(staff, exclusion, situation, on=D(2026, 3, 5))
    assert missing == []
    review_by = deadlines_of(exclusion, KindCode.REVIEW_APPLICATION).get()
    assert f"{review_by.due_date:%A %-d %B %Y}" in text
    assert review_by.due_date == D(2026, 4, 13)
    for words in ("independent review", "SEN expert", "Equality Act 2010",
                  "two witnesses", advice.review_address):  # fmt: skip
        assert words in text


def test_a_provisional_date_is_marked_as_such_in_the_letter(staff, school, advice):
    """Past the term dates entered, the deadline engine counts on the typical calendar and
    marks the date provisional: the letter says so."""
    exclusion = notify(staff, pupil_at(school), school, "permanent", start=D(2027, 7, 12))
    board = deadlines_of(exclusion, KindCode.BOARD_CONSIDER).get()
    assert board.provisional
    text, _ = prepared(staff, exclusion, Situation.PERMANENT, on=D(2027, 7, 12))
    assert f"{board.due_date:%A %-d %B %Y} (provisional:" in text


def test_a_missing_fact_blocks_the_letter_and_says_where_to_add_it(staff, school, client_for):
    """A letter that would leave out an item the 2012 Regulations require is not sent: the page
    names each missing fact and where to add it."""
    exclusion = notify(staff, pupil_at(school), school, start=D(2026, 3, 2), sessions=16)
    situation = Situation.SUSPENSION_MEDIUM
    _, missing = letters.facts_of(exclusion, situation, {})
    assert ("Add the work set for the first five school days",
            reverse("exclusions:work-set", args=[exclusion.pk])) in missing  # fmt: skip
    assert ("Add the SENDIASS's contact details (the LA administrator adds them)",
            reverse("exclusions:letter-settings")) in missing  # fmt: skip
    assert ("Enter how to make representations", "") in missing
    client = client_for(staff)
    page = reverse("exclusions:letter", args=[exclusion.pk, situation])
    shown = client.get(page).content.decode()
    assert "The letter cannot be produced until the record has everything" in shown
    assert reverse("exclusions:work-set", args=[exclusion.pk]) in shown
    assert "Download the letter" not in shown
    saved = client.post(page, PARTS, follow=True).content.decode()
    assert "The letter is saved" in saved
    refused = client.get(reverse("exclusions:letter-download",
                                 args=[exclusion.pk, situation, "pdf"]), follow=True)  # fmt: skip
    assert "The letter cannot be produced yet: Add the work set" in refused.content.decode()


def test_the_letter_downloads_as_word_and_pdf_that_read_back(staff, school, advice, client_for):
    """The letter downloads as Word and PDF with the same words the page shows, as schools send
    them."""
    from docx import Document
    from pypdf import PdfReader

    exclusion = notify(staff, pupil_at(school, legal_first_name="Amira", legal_last_name="Khan"),
                       school, start=D(2026, 3, 2), sessions=4)  # fmt: skip
    prepared(staff, exclusion, Situation.SUSPENSION_SHORT, on=D(2026, 3, 2))
    client = client_for(staff)
    page = client.get(reverse("exclusions:letter", args=[exclusion.pk, "suspension_short"]))
    assert "Download the letter as Word" in page.content.decode()
    word = client.get(reverse("exclusions:letter-download",
                              args=[exclusion.pk, "suspension_short", "docx"]))  # fmt: skip
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert school.name in text and "suspend Amira Khan" in text
    assert "Monday 2 March 2026" in text and "remote access" in text
    pdf = client.get(reverse("exclusions:letter-download",
                             args=[exclusion.pk, "suspension_short", "pdf"]))  # fmt: skip
    assert pdf["Content-Type"] == "application/pdf"
    read = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "suspend Amira Khan" in " ".join(read.split())
    assert "A Okafor, headteacher" in " ".join(read.split())


def test_a_letter_keeps_the_version_it_was_written_from(staff, school, advice):
    """A letter keeps the template version (and the guidance it follows) that it was written
    from."""
    first = notify(staff, pupil_at(school), school, start=D(2026, 3, 2), sessions=4)
    prepared(staff, first, Situation.SUSPENSION_SHORT, on=D(2026, 3, 2))
    version_1 = LetterTemplate.objects.get(situation="suspension_short", version=1)
    LetterTemplate.objects.create(
        situation="suspension_short", version=2, effective_from=D(2026, 3, 3),
        guidance="Revised guidance", body=version_1.body.replace("I am writing", "We write"),
    )  # fmt: skip
    second = notify(staff, pupil_at(school), school, start=D(2026, 3, 4), sessions=4)
    prepared(staff, second, Situation.SUSPENSION_SHORT, on=D(2026, 3, 4))
    assert "I am writing" in letter_text(first, "suspension_short")[0]
    assert "We write" in letter_text(second, "suspension_short")[0]


def test_only_the_school_writes_its_letters(staff, school, member, client_for):
    """The 2012 Regulations, regulation 5: the head tells the parents, so only the school (or the
    authority's exclusions officer for it) writes the head's letter."""
    exclusion = notify(staff, pupil_at(school), school, start=D(2026, 3, 2), sessions=4)
    with pytest.raises(DomainError, match="You cannot record this step"):
        services.write_letter(member(Role.CASEWORKER), exclusion,
                              situation="suspension_short", parts=PARTS)  # fmt: skip
    with pytest.raises(DomainError, match="not one this exclusion calls for"):
        services.write_letter(staff, exclusion, situation="permanent", parts=PARTS)
    page = reverse("exclusions:letter", args=[exclusion.pk, "suspension_short"])
    assert client_for(member(Role.CASEWORKER)).get(page).status_code == 404
    assert (
        client_for(staff)
        .get(reverse("exclusions:letter", args=[exclusion.pk, "permanent"]))
        .status_code
        == 404
    )


def test_the_board_s_letter_sent_later_by_post_counts_the_review_window_again(
    staff, school, advice, client_for
):
    """The board decided on Thursday 5 March 2026 and the parents were told by email that day
    (window to Thursday 26 March). The letter itself was posted on Monday 9 March: given on
    Wednesday 11 March, the fifteenth school day after is Wednesday 15 April (the Easter
    holiday between)."""
    exclusion = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    with time_machine.travel(datetime.datetime(2026, 3, 5, 16), tick=False):
        services.record_board_decision(
            staff, exclusion, reinstate=False, decided_on=D(2026, 3, 5),
            parents_told_on=D(2026, 3, 5), parents_told_how="email", note="Proved.",
        )  # fmt: skip
    window = deadlines_of(exclusion, KindCode.REVIEW_APPLICATION).get()
    assert window.due_date == D(2026, 3, 26)
    situation = Situation.BOARD_UPHELD_PERMANENT
    prepared(staff, exclusion, situation, on=D(2026, 3, 9))
    client = client_for(staff)
    page = reverse("exclusions:letter", args=[exclusion.pk, situation])
    with time_machine.travel(datetime.datetime(2026, 3, 9, 16), tick=False):
        shown = client.get(page).content.decode()
        assert "Record that it was sent" in shown
        refused = client.post(page, {"form": "sent", "sent-how": "post", "sent-sent_on_0": "10",
                                     "sent-sent_on_1": "3", "sent-sent_on_2": "2026"})  # fmt: skip
        assert refused.status_code == 400
        assert "The date must be today or in the past" in refused.content.decode()
        done = client.post(page, {"form": "sent", "sent-how": "post", "sent-sent_on_0": "9",
                                  "sent-sent_on_1": "3", "sent-sent_on_2": "2026"},
                           follow=True)  # fmt: skip
    assert "The letter is recorded as sent" in done.content.decode()
    assert "Sent on 9 March 2026 (by first class post)" in done.content.decode()
    window.refresh_from_db()
    assert window.status == DeadlineStatus.WAIVED
    again = live_for(exclusion, KindCode.REVIEW_APPLICATION).get()
    assert (again.start_date, again.due_date) == (D(2026, 3, 11), D(2026, 4, 15))
    exclusion.refresh_from_db()
    assert (exclusion.parents_told_of_decision_on, exclusion.parents_told_of_decision_how) == (
        D(2026, 3, 9),
        "post",
    )
    with pytest.raises(DomainError, match="This letter has been sent: it is kept as it was sent"):
        services.write_letter(staff, exclusion, situation=situation, parts=PARTS)


@pytest.fixture
def notify_here(settings, fake_notify):  # noqa: F811
    """GOV.UK Notify set up, its client pointed at a local stand-in of its API."""
    from tests.deadlines.test_notify import API_KEY, TEMPLATE_ID

    settings.NOTIFY_API_KEY, settings.NOTIFY_TEMPLATE_ID = API_KEY, TEMPLATE_ID
    settings.NOTIFY_BASE_URL = fake_notify
    return fake_notify


def test_a_letter_goes_by_email_and_by_post_through_notify(staff, school, advice, notify_here,
                                                          client_for):  # fmt: skip
    """The 2012 Regulations, regulations 8(3) and Schedule 1: a notice may be given by e-mail or by
    post (given on the second working day after posting); the letter goes through GOV.UK Notify
    either way."""
    import base64

    from pypdf import PdfReader

    from tests.deadlines.test_notify import TEMPLATE_ID, FakeNotify

    pupil = pupil_at(school, legal_first_name="Amira", legal_last_name="Khan")
    PupilContactFactory(pupil=pupil, name="Farah Khan", email="farah@example.org",
                        address="12 Mill Lane\nNorthmoor\nNM1 2AB")  # fmt: skip
    by_email = notify(staff, pupil, school, start=D(2026, 3, 2), sessions=4)
    by_post = notify(staff, pupil, school, start=D(2026, 3, 9), sessions=4)
    for exclusion in (by_email, by_post):
        prepared(staff, exclusion, Situation.SUSPENSION_SHORT, on=exclusion.start_date)
    client = client_for(staff)
    page = reverse("exclusions:letter", args=[by_email.pk, "suspension_short"])
    with time_machine.travel(datetime.datetime(2026, 3, 9, 16), tick=False):
        assert "Send through GOV.UK Notify" in client.get(page).content.decode()
        client.post(page, {"form": "notify", "notify-how": "email"})
        services.send_letter(staff, by_post.letters.get(), how="post")
    email, letter = FakeNotify.received
    assert email["path"] == "/v2/notifications/email"
    assert email["body"]["email_address"] == "farah@example.org"
    assert email["body"]["template_id"] == TEMPLATE_ID
    assert "suspend Amira Khan" in email["body"]["personalisation"]["body"]
    assert email["body"]["reference"] == f"letter-{by_email.letters.get().pk}"
    assert letter["path"] == "/v2/notifications/letter"
    pdf = PdfReader(io.BytesIO(base64.b64decode(letter["body"]["content"])))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Farah Khan 12 Mill Lane Northmoor NM1 2AB" in text and "suspend Amira Khan" in text
    sent = {e.pk: e.letters.get() for e in (by_email, by_post)}
    assert [(x.status, x.sent_how, x.sent_on, bool(x.notify_id)) for x in sent.values()] == [
        ("sent", "email", D(2026, 3, 9), True),
        ("sent", "post", D(2026, 3, 9), True),
    ]


def test_notify_refusing_a_letter_records_nothing(staff, school, advice, settings):
    """A letter Notify refuses is not recorded as sent, so no statutory time limit counts from
    it."""
    from tests.deadlines.test_notify import API_KEY, TEMPLATE_ID

    settings.NOTIFY_API_KEY, settings.NOTIFY_TEMPLATE_ID = API_KEY, TEMPLATE_ID
    settings.NOTIFY_BASE_URL = "http://127.0.0.1:9"  # nothing listens here
    pupil = pupil_at(school)
    PupilContactFactory(pupil=pupil, email="parent@example.org")
    exclusion = notify(staff, pupil, school, start=D(2026, 3, 2), sessions=4)
    prepared(staff, exclusion, Situation.SUSPENSION_SHORT, on=D(2026, 3, 2))
    with pytest.raises(DomainError, match=r"GOV\.UK Notify did not take the letter"):
        services.send_letter(staff, exclusion.letters.get(), how="email")
    assert exclusion.letters.get().status == "draft"
    settings.NOTIFY_API_KEY = ""
    with pytest.raises(DomainError, match=r"GOV\.UK Notify is not set up"):
        services.send_letter(staff, exclusion.letters.get(), how="email")


def test_the_authority_keeps_its_own_versions_which_must_still_say_what_the_law_requires(
    staff, school, authority, member, client_for
):
    """LA administrators keep the model letters as data, each version with the guidance it
    follows and the day it takes effect; a version leaving out a required item is refused."""
    from tests.accounts.factories import LocalAuthorityFactory
    from tests.pupils.factories import SchoolFactory

    admin = member(Role.LA_ADMINISTRATOR, organisation=authority)
    national = LetterTemplate.objects.get(situation="suspension_short", version=1)
    client = client_for(admin)
    listing = reverse("exclusions:letter-templates")
    assert listing in client.get(reverse("accounts:home")).content.decode()
    assert "Version 1 (the national model)" in client.get(listing).content.decode()
    url = reverse("exclusions:new-letter-version", args=["suspension_short"])
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9), tick=False):
        form = client.get(url).content.decode()
        assert "[public days]" in form, "it starts from the version in force"
        dropped = client.post(url, {
            "body": national.body.replace("remote access", "a video call"),
            "guidance": "Revised guidance 2026", "effective_from_0": "2",
            "effective_from_1": "3", "effective_from_2": "2026",
        })  # fmt: skip
        assert dropped.status_code == 400
        assert ("The letter must say the right to ask for the meeting to be held by remote access"
                " (Guidance, paragraph 64)") in dropped.content.decode()  # fmt: skip
        broken = client.post(url, {"body": national.body + "[pupils name]", "guidance": "x",
                                   "effective_from_0": "2", "effective_from_1": "3",
                                   "effective_from_2": "2026"})  # fmt: skip
        assert "[pupils name]: not a fact this service knows" in broken.content.decode()
        saved = client.post(url, {
            "body": national.body.replace("I am writing", "We are writing"),
            "guidance": "Northmoor's revision, March 2026", "effective_from_0": "2",
            "effective_from_1": "3", "effective_from_2": "2026",
        }, follow=True)  # fmt: skip
        assert "Version 2 takes effect on 2 March 2026" in saved.content.decode()
    ours = notify(staff, pupil_at(school), school, start=D(2026, 3, 2), sessions=4)
    prepared(staff, ours, Situation.SUSPENSION_SHORT, on=D(2026, 3, 2))
    assert "We are writing" in letter_text(ours, "suspension_short")[0]
    elsewhere = SchoolFactory(organisation__local_authority=LocalAuthorityFactory())
    their_staff = member(Role.SCHOOL_STAFF, organisation=elsewhere.organisation)
    theirs = notify(their_staff, pupil_at(elsewhere), elsewhere, start=D(2026, 3, 2), sessions=4)
    prepared(their_staff, theirs, Situation.SUSPENSION_SHORT, on=D(2026, 3, 2))
    assert "I am writing" in letter_text(theirs, "suspension_short")[0]
    assert client_for(staff).get(listing).status_code == 403


def test_the_board_reinstating_and_the_panel_deciding_each_have_their_letter(staff, school, advice):
    """The board's decision with its reasons (2012 Regulations, reg. 6(6)(a)); the panel's
    decision and what follows (the board reconsiders within 10 school days)."""
    reinstated = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    with time_machine.travel(datetime.datetime(2026, 3, 5, 16), tick=False):
        services.record_board_decision(
            staff, reinstated, reinstate=True, decided_on=D(2026, 3, 5),
            parents_told_on=D(2026, 3, 5), note="The account of the incident was not proved.",
        )  # fmt: skip
    reinstated.refresh_from_db()
    assert letters.situations_for(reinstated) == [Situation.PERMANENT, Situation.BOARD_DECISION]
    text, missing = prepared(staff, reinstated, Situation.BOARD_DECISION, on=D(2026, 3, 5))
    assert missing == []
    assert "Thursday 5 March 2026" in text and "Reinstated by the governing board" in text
    assert "was not proved" in text and advice.sendiass in text
    reviewed = notify(staff, pupil_at(school), school, "permanent", start=D(2026, 3, 2))
    with time_machine.travel(datetime.datetime(2026, 3, 5, 16), tick=False):
        services.record_board_decision(
            staff, reviewed, reinstate=False, decided_on=D(2026, 3, 5),
            parents_told_on=D(2026, 3, 5), note="Proved.",
        )  # fmt: skip
        services.apply_for_review(staff, reviewed, applied_on=D(2026, 3, 6), sen_expert=True)
        services.record_panel_decision(
            staff,
            reviewed,
            decision="quash",
            decided_on=D(2026, 3, 20),
            board_told_on=D(2026, 3, 20),
        )
    reviewed.refresh_from_db()
    assert letters.situations_for(reviewed)[-1] == Situation.PANEL_DECISION
    text, missing = prepared(staff, reviewed, Situation.PANEL_DECISION, on=D(2026, 3, 20))
    assert missing == []
    assert "Friday 20 March 2026" in text
    assert "Quash and direct the board to reconsider" in text and "10 school days" in text

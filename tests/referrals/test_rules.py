"""The referral rules, each from its seed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from config.errors import DomainError
from deadlines.codes import KindCode
from deadlines.models import Notification
from deadlines.selectors import deadlines_of
from pupils.models import CareStatus
from referrals import services
from referrals.models import AttachmentKind, Referral, ReferralActivity, Source, Status
from tests.pupils.factories import pupil_at
from tests.referrals.factories import checklist_ticked

D = datetime.date
pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name="psp.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def ready(referral, **answers):
    """Fill in the answers every referral needs."""
    defaults = {
        "reason": "Escalating behaviour since January.",
        "consent_given_by": "Jo Stone (mother)",
        "consent_given_on": D(2026, 2, 27),
        "consent_method": "phone",
        "previous_step_started": D(2025, 11, 3),
        "interventions_tried": "Mentoring, a reduced timetable review, a PSP.",
    }
    return services.save_answers(None, referral, **{**defaults, **answers})


def boss_referral(senco, pupil, types, school, **answers):
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["boss"], school=school
    )
    ready(referral, **answers)
    services.attach_document(senco, referral, kind=AttachmentKind.PSP, upload=pdf())
    return referral


def test_a_boss_type_must_have_the_prt_as_its_gateway(types, orgs):
    """Seed 000: "All referrals for BOSS support must be made to PRT, not directly to BOSS", so a
    BOSS referral type without the PRT as its gateway is refused."""
    boss = types["boss"]
    boss.gateway = None
    with pytest.raises(ValidationError, match="must go through the PRT"):
        boss.full_clean()
    boss.gateway = orgs["bacme-inbox"]
    with pytest.raises(ValidationError, match="must go through the PRT"):
        boss.full_clean()


def test_a_boss_referral_sent_straight_to_boss_is_refused(senco, pupil, types, school):
    """Seed 000: "All referrals for BOSS support must be made to PRT, not directly to BOSS":
    one sent straight to BOSS is refused."""
    referral = boss_referral(senco, pupil, types, school)
    Referral.objects.filter(pk=referral.pk).update(gateway=None)  # any other path
    referral.refresh_from_db()
    with pytest.raises(DomainError, match="must be sent to the PRT"):
        services.submit_referral(senco, referral)


def test_only_the_prt_routes_a_referral_to_boss(senco, pupil, types, school, orgs, member):
    """Seed 000: BOSS takes referrals only through the PRT, so only the PRT's screeners send one on
    to it."""
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bacme-psp"], school=school
    )
    ready(referral)
    services.submit_referral(senco, referral)
    inbox_screener = member(Role.GATEWAY_SCREENER, organisation=orgs["bacme-inbox"])
    with pytest.raises(DomainError, match="Only the PRT can route a referral to BOSS"):
        services.accept_referral(
            inbox_screener, referral, checklist=checklist_ticked(referral), service=orgs["boss"]
        )


def test_a_boss_referral_needs_its_pastoral_support_plan(senco, pupil, types, school):
    """Seed 000: "the referral must be accompanied by a comprehensive PSP which will be screened by
    the PRT": no PSP, no BOSS referral."""
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["boss"], school=school
    )
    ready(referral)
    with pytest.raises(DomainError, match="Attach the pupil's Pastoral Support Plan"):
        services.submit_referral(senco, referral)
    services.attach_document(senco, referral, kind=AttachmentKind.PSP, upload=pdf())
    services.submit_referral(senco, referral)
    assert referral.status == Status.SUBMITTED


def test_fewer_than_12_school_weeks_on_the_ladder_needs_the_crisis_box(senco, pupil, types, school):
    """Seed 000: referral to BOSS "is normally after about 12 weeks. However, if a pupil reaches
    crisis point quickly, then ladder steps can be compressed": fewer than 12 school weeks needs
    the crisis box and a reason."""
    referral = boss_referral(senco, pupil, types, school, previous_step_started=D(2026, 1, 12))
    with pytest.raises(DomainError, match="6 school weeks ago, less than 12"):
        services.submit_referral(senco, referral)
    services.save_answers(senco, referral, crisis=True, crisis_reason="Assaulted a member of staff")
    services.submit_referral(senco, referral)
    assert referral.status == Status.SUBMITTED


def test_twelve_school_weeks_on_the_ladder_need_no_crisis(senco, pupil, types, school):
    """Seed 000: after about 12 weeks on the ladder a referral to BOSS needs no reason for being
    early."""
    referral = boss_referral(senco, pupil, types, school, previous_step_started=D(2025, 11, 17))
    services.submit_referral(senco, referral)
    assert not referral.crisis


def test_a_looked_after_pupil_needs_the_virtual_school_consulted_and_it_is_told(
    senco, school, types, orgs, member
):
    """Seed 000: a referral made early "must be in consultation with virtual school if the child is
    in care"; seed 002: the designated teacher involves the virtual school, which is told of the
    referral."""
    officer = member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=orgs["virtual-school"])
    pupil = pupil_at(school, care_status=CareStatus.LOOKED_AFTER)
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bass"], school=school
    )
    ready(referral)
    with pytest.raises(DomainError, match="consulted the virtual school"):
        services.submit_referral(senco, referral)
    services.save_answers(
        senco,
        referral,
        virtual_school_consulted_on=D(2026, 2, 25),
        virtual_school_consulted_with="Pat Reed, virtual school head",
    )
    services.submit_referral(senco, referral)
    told = Notification.objects.get(recipient=officer)
    assert referral.reference in told.body


def test_the_virtual_school_is_told_of_a_previously_looked_after_pupil(
    senco, school, types, orgs, member
):
    """Seed 002 (and the DfE's guidance on the virtual school head's role, extended in June 2022):
    the virtual school is told of a referral for a previously looked-after child too."""
    officer = member(Role.VIRTUAL_SCHOOL_OFFICER, organisation=orgs["virtual-school"])
    pupil = pupil_at(school, care_status=CareStatus.PREVIOUSLY_LOOKED_AFTER)
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bass"], school=school
    )
    services.submit_referral(senco, ready(referral))
    assert Notification.objects.filter(recipient=officer).count() == 1


def test_parental_consent_is_required(senco, pupil, types, school):
    """Seed 004 (form B/ex2): a referral records who gave the parent or carer's consent, when and
    how; without it the referral cannot be sent."""
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bass"], school=school
    )
    services.save_answers(senco, referral, reason="Disruption")
    with pytest.raises(DomainError, match="Enter who gave consent"):
        services.submit_referral(senco, referral)


def test_an_incomplete_bex2_is_submitted_marked_incomplete(senco, pupil, types, school):
    """Seed 004: "Failure to complete the form appropriately may result in an allocation delay": an
    incomplete B/ex2 may be sent, marked incomplete, rather than refused."""
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bex2"], school=school
    )
    services.save_answers(senco, referral, reason="Permanently excluded; parent appealing")
    services.submit_referral(senco, referral)
    assert referral.status == Status.SUBMITTED
    assert referral.incomplete
    assert "Enter the referrer's name" in referral.missing_answers


def test_one_open_referral_per_pupil_per_service(senco, pupil, types, school):
    """One open referral per pupil per service: a second is refused with a link to the first, so two
    teams never work the same referral."""
    first = services.start_referral(senco, pupil=pupil, referral_type=types["bass"], school=school)
    services.submit_referral(senco, ready(first))
    with pytest.raises(services.OpenReferralExists) as refused:
        services.start_referral(senco, pupil=pupil, referral_type=types["bass"], school=school)
    assert refused.value.existing == first
    assert first.reference in refused.value.message


def test_reintegration_after_permanent_exclusion_opens_an_accepted_boss_referral(
    school, types, orgs
):
    """Seed 000: "Pupils reintegrating back into mainstream education after a permanent exclusion
    will automatically have BOSS support. No referral from the new school is required"."""
    pupil = pupil_at(school)
    referral = services.create_reintegration_referral(None, pupil=pupil, school=school)
    assert (referral.status, referral.source) == (Status.ACCEPTED, Source.REINTEGRATION)
    assert referral.service == orgs["boss"]
    assert referral.gateway is None
    assert referral.reference.startswith("REF-2026-")
    assert deadlines_of(referral, KindCode.ALLOCATION).exists()
    assert ReferralActivity.objects.get(referral=referral).kind == "automatic"


def test_an_illegal_transition_is_refused_in_words(senco, pupil, types, school, screener):
    """A referral moves only by its transition table; anything else is refused in words, not with an
    error page."""
    referral = boss_referral(senco, pupil, types, school)
    services.submit_referral(senco, referral)
    services.decline_referral(screener, referral, reason="Needs a PSP review first")
    with pytest.raises(DomainError, match=r"^This referral has already been declined\.$"):
        services.decline_referral(screener, referral, reason="Again")
    with pytest.raises(
        DomainError, match="This referral has already been declined: it cannot be withdrawn now"
    ):
        services.withdraw_referral(senco, referral)


def test_every_transition_is_recorded_with_who(senco, pupil, types, school, screener):
    """Every step of a referral is kept in its history with who took it and when (the referral's own
    page shows the timeline)."""
    referral = boss_referral(senco, pupil, types, school)
    services.submit_referral(senco, referral)
    services.request_more_information(screener, referral, question="Attach the latest PSP review")
    services.answer_more_information(senco, referral, answer="Attached, reviewed 1 March")
    services.accept_referral(screener, referral, checklist=checklist_ticked(referral))
    assert list(referral.activities.values_list("kind", "actor")) == [
        ("started", senco.pk),
        ("submitted", senco.pk),
        ("more_information", screener.pk),
        ("answered", senco.pk),
        ("accepted", screener.pk),
    ]


def test_the_allocation_clock_stops_while_the_school_answers(senco, pupil, types, school, screener):
    """Seed 001: referrals are allocated within 2 weeks; seed 002: the gateway's targets count
    school days. The clock stops while the school answers a question and resumes with its answer."""
    import time_machine

    referral = boss_referral(senco, pupil, types, school)
    services.submit_referral(senco, referral)  # Monday 2 March: due Monday 16 March
    allocation = deadlines_of(referral, KindCode.ALLOCATION).get()
    assert allocation.due_date == D(2026, 3, 16)
    with time_machine.travel(datetime.datetime(2026, 3, 4, 10), tick=False):
        services.request_more_information(screener, referral, question="Which PSP review?")
    allocation.refresh_from_db()
    assert allocation.status == "cancelled"
    with time_machine.travel(datetime.datetime(2026, 3, 11, 10), tick=False):
        services.answer_more_information(senco, referral, answer="The one of 1 March")
    resumed = deadlines_of(referral, KindCode.ALLOCATION).get(status="open")
    # 8 school days were left on 4 March; counted again from 11 March: Monday 23 March.
    assert resumed.due_date == D(2026, 3, 23)


def test_a_renamed_executable_is_refused(senco, pupil, types, school):
    """Documents are recognised by their content, not their name: a program renamed to .pdf is
    refused."""
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bass"], school=school
    )
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)
    with pytest.raises(DomainError, match="content is checked, not its name"):
        services.attach_document(senco, referral, kind=AttachmentKind.OTHER, upload=fake)
    assert not referral.attachments.exists()


def test_a_file_over_10_mb_is_refused(senco, pupil, types, school):
    """A document is 10 MB at most (the upload page says so), refused with that message."""
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bass"], school=school
    )
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError, match="smaller than 10 MB"):
        services.attach_document(senco, referral, kind=AttachmentKind.OTHER, upload=big)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "kept_as"),
    [
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png", "scan.png"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg", "photo.jpg"),
        ("plan.pdf", PDF, "application/pdf", "plan.pdf"),
        # The name's extension follows what the file is, never what it claims to be.
        ("report.html", PDF, "application/pdf", "report.pdf"),
        ("setup.exe", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png", "setup.png"),
    ],
)
def test_allowed_documents_are_stored_outside_the_web_root(
    senco, pupil, types, school, name, content, content_type, kept_as, settings
):
    """A referral's documents are served only to people who may see the referral, so they are stored
    where no URL reaches them directly."""
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bass"], school=school
    )
    attachment = services.attach_document(
        senco, referral, kind="other", upload=SimpleUploadedFile(name, content)
    )
    assert attachment.content_type == content_type
    assert not attachment.file.path.startswith(str(settings.STATIC_ROOT))
    assert "var" in attachment.file.path and "private-media" in attachment.file.path
    assert attachment.original_name == kept_as


def test_docx_and_odt_are_recognised_by_content():
    """Word (DOCX) and OpenDocument (ODT) files are recognised by what is inside the archive, not
    their names."""
    import io
    import zipfile

    from referrals.files import detect_content_type

    def archive(entries):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zipped:
            for entry, data in entries.items():
                zipped.writestr(entry, data)
        return buffer.getvalue()

    docx = archive({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"})
    odt = archive({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
    other_zip = archive({"payload.exe": "MZ"})
    assert detect_content_type(docx).endswith("wordprocessingml.document")
    assert detect_content_type(odt) == "application/vnd.oasis.opendocument.text"
    assert detect_content_type(other_zip) is None


def zipped(entries: dict, *, compression=None) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression or zipfile.ZIP_STORED) as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return buffer.getvalue()


@pytest.mark.parametrize("inflated", ["mimetype", "word/document.xml"])
def test_a_document_that_would_expand_past_50_mb_is_refused_without_expanding_it(
    senco, pupil, types, school, inflated
):
    """The hole: a 408 KB upload reached 800 MB of memory as one entry was expanded."""
    import tracemalloc
    import zipfile

    bomb = zipped(
        {"[Content_Types].xml": "<Types/>", inflated: b"0" * (400 * 1024 * 1024)},
        compression=zipfile.ZIP_DEFLATED,
    )
    assert len(bomb) < 1024 * 1024
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bass"], school=school
    )
    tracemalloc.start()
    with pytest.raises(DomainError, match="expands to more than 50 MB") as refused:
        services.attach_document(
            senco, referral, kind="other", upload=SimpleUploadedFile("plan.docx", bomb)
        )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # nothing was expanded
    assert refused.value.field == "file"
    assert not referral.attachments.exists()


def test_a_word_document_with_macros_is_refused(senco, pupil, types, school):
    """A Word document with macros is refused: a referral's documents are opened by staff in other
    teams."""
    referral = services.start_referral(
        senco, pupil=pupil, referral_type=types["bass"], school=school
    )
    docm = zipped({
        "[Content_Types].xml": '<Types><Override ContentType="application/'
        'vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
        "word/document.xml": "<w/>", "word/vbaProject.bin": "macros",
    })  # fmt: skip
    with pytest.raises(DomainError, match="a Word document with macros"):
        services.attach_document(
            senco, referral, kind="other", upload=SimpleUploadedFile("plan.docx", docm)
        )
    assert not referral.attachments.exists()


def test_check_your_answers_counts_a_step_begun_in_a_year_without_term_dates(
    client_for, senco, pupil, types, school
):
    """A previous step begun two years ago, before any term dates were entered, is counted on
    the typical calendar: the page shows, it does not fail."""
    from django.urls import reverse

    referral = boss_referral(senco, pupil, types, school, previous_step_started=D(2023, 11, 6))
    response = client_for(senco).get(reverse("referrals:check", args=[referral.pk]))
    assert response.status_code == 200


def test_check_your_answers_asks_why_the_steps_are_compressed_only_when_they_are(
    client_for, senco, pupil, types, school
):
    """Seed 000: ladder steps "can be compressed" when a pupil reaches crisis point: Check your
    answers asks why only when they are."""
    from django.urls import reverse

    referral = boss_referral(senco, pupil, types, school)  # crisis: No
    page = client_for(senco).get(reverse("referrals:check", args=[referral.pk])).content.decode()
    assert "Why are the steps compressed?" not in page
    services.save_answers(None, referral, crisis=True, crisis_reason="Three fixed-term exclusions")
    page = client_for(senco).get(reverse("referrals:check", args=[referral.pk])).content.decode()
    assert "Why are the steps compressed?" in page and "Three fixed-term exclusions" in page

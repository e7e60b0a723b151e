import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from cases import services as case_services
from config.errors import DomainError
from deadlines.codes import KindCode
from deadlines.selectors import deadlines_of
from plans import services
from plans.models import PlanStatus
from pupils.models import CareStatus
from tests.cases.factories import CaseOpenFactory, ServiceSettingsFactory
from tests.plans.factories import PspActiveFactory, TargetFactory, TimetableActiveFactory
from tests.pupils.factories import pupil_at
from tests.referrals.factories import ReferralAllocatedFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def a_psp(senco, pupil, school, **fields):
    defaults = {
        "start_date": D(2026, 1, 12),
        "people_involved": "Riley, mother, SENCO",
        "pupil_views": "I get angry when people stare.",
        "parent_views": "He needs calm adults.",
        "areas_of_concern": "Walking out of lessons",
        "interventions_tried": "Mentoring",
    }
    return services.create_psp(senco, pupil=pupil, school=school, **{**defaults, **fields})


def test_a_psp_with_three_targets_and_two_reviews(senco, pupil, school):
    """Seed 000: the Pastoral Support Plan comes first; its targets are reviewed every 6 weeks by
    default, each review recording an outcome per target."""
    psp = a_psp(senco, pupil, school)
    assert psp.next_review_date == D(2026, 2, 23)  # every 6 weeks by default
    targets = [
        services.add_target(
            senco,
            psp,
            description=f"Target {n}",
            strategies="Calm space",
            who_does_what="Mentor daily",
            success_measure="Log",
        )
        for n in range(3)
    ]
    first = services.review_psp(
        senco, psp, date=D(2026, 2, 23), next_review_date=D(2026, 4, 13),
        outcomes={targets[0].pk: "achieved", targets[1].pk: "partly", targets[2].pk: "not_yet"},
    )  # fmt: skip
    with pytest.raises(DomainError, match="Record the outcome of every target"):
        services.review_psp(
            senco, psp, date=D(2026, 4, 13), next_review_date=None,
            outcomes={targets[0].pk: "achieved"},
        )  # fmt: skip
    second = services.review_psp(
        senco, psp, date=D(2026, 4, 13), next_review_date=None,
        outcomes={t.pk: "achieved" for t in targets},
    )  # fmt: skip
    assert [o.outcome for o in first.outcomes.order_by("target")] == [
        "achieved", "partly", "not_yet"
    ]  # fmt: skip
    assert second.outcomes.count() == 3
    psp.refresh_from_db()
    assert psp.status == PlanStatus.ENDED
    reviews = deadlines_of(psp, KindCode.PLAN_REVIEW)
    assert sorted(reviews.values_list("status", flat=True)) == ["met", "met"]


def test_the_screening_checklist_reads_a_psp_lacking_parent_views(
    client_for, senco, pupil, school, types, screener
):
    """Seed 000: the PSP "will be screened by the PRT": a PSP without the parents' views shows in
    the checklist."""
    from referrals import services as referral_services
    from tests.referrals.test_rules import ready

    psp = a_psp(senco, pupil, school, parent_views="")
    TargetFactory(psp=psp)
    assert psp.completeness()["parent_views"] is False
    referral = referral_services.start_referral(
        senco, pupil=pupil, referral_type=types["boss"], school=school
    )
    ready(referral, previous_step_started=D(2025, 11, 17))
    referral_services.link_psp(senco, referral, psp)
    referral_services.submit_referral(senco, referral)  # the linked PSP satisfies the rule
    page = client_for(screener).get(reverse("referrals:screen", args=[referral.pk]))
    html = page.content.decode()
    assert "<strong>Lacks</strong> the parent or carer&#x27;s views" in html
    assert page.context["form"].initial["check_psp"] is False


def test_the_school_reads_the_bip_while_the_case_is_open_and_keeps_it_after(
    client_for, senco, school, types, orgs, member
):
    """Seed 000: the Behaviour Improvement Plan is negotiated with the school while BOSS works the
    case, and becomes the school's when the case closes."""
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    referral = ReferralAllocatedFactory(
        referral_type=types["boss"], pupil=pupil_at(school), school=school
    )
    case = CaseOpenFactory(referral=referral, caseworker=caseworker)
    bip = services.write_bip(
        caseworker, case, understanding_of_needs="Anxiety in unstructured time",
        strategies="Structured breaks", targets="Attends all lessons", who_does_what="SENCO",
        next_review_date=D(2026, 4, 1),
    )  # fmt: skip
    url = reverse("plans:bip", args=[bip.pk])
    while_open = client_for(senco).get(url)  # negotiated with the school (seed 000)
    assert while_open.status_code == 200
    assert "agreed with the school while the case is open" in while_open.content.decode()
    assert client_for(caseworker).get(url).status_code == 200
    case_services.close_case(caseworker, case, reason="risk_reduced", risk_continues=False)
    response = client_for(senco).get(url)
    assert response.status_code == 200
    assert "Passed to the school" in response.content.decode()


def test_a_part_time_timetable_without_an_end_date_is_refused(client_for, senco, pupil, school):
    """Seed 003 (form PT1) and DfE attendance guidance: a part-time timetable "must have a
    time-limit", so one without an end date is refused in words."""
    with pytest.raises(DomainError, match="must be time-limited"):
        services.notify_part_time_timetable(
            senco, pupil=pupil, school=school, reason="Anxiety", hours_per_week=10,
            start_date=D(2026, 3, 2), end_date=None, return_plan="Build up",
            next_review_date=D(2026, 3, 16), consent_given_by="Mother",
            consent_given_on=D(2026, 2, 27),
        )  # fmt: skip
    response = client_for(senco).post(
        reverse("plans:new-timetable", args=[pupil.pk]),
        {"reason": "Anxiety", "hours_per_week": "10", "start_date_0": "2", "start_date_1": "3",
         "start_date_2": "2026", "return_plan": "Build up", "next_review_date_0": "16",
         "next_review_date_1": "3", "next_review_date_2": "2026", "consent_given_by": "Mother",
         "consent_given_on_0": "27", "consent_given_on_1": "2", "consent_given_on_2": "2026"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Enter the end date: a part-time timetable must be time-limited" in (
        response.content.decode()
    )


def test_extending_a_timetable_needs_a_review_first(senco, pupil, school):
    """Seed 003: a part-time timetable is reviewed before it is extended."""
    timetable = services.notify_part_time_timetable(
        senco, pupil=pupil, school=school, reason="Anxiety", hours_per_week=10,
        start_date=D(2026, 3, 2), end_date=D(2026, 3, 27), return_plan="Build up",
        next_review_date=D(2026, 3, 16), consent_given_by="Mother",
        consent_given_on=D(2026, 2, 27),
    )  # fmt: skip
    with pytest.raises(DomainError, match="Record a review"):
        services.extend_timetable(senco, timetable, end_date=D(2026, 4, 24))
    services.review_timetable(
        senco, timetable, date=D(2026, 3, 2), notes="Going well", next_review_date=D(2026, 3, 20)
    )
    services.extend_timetable(senco, timetable, end_date=D(2026, 4, 24))
    assert timetable.end_date == D(2026, 4, 24)


def test_back_to_full_time_ends_the_timetable_and_only_its_own_reminders(
    client_for, senco, pupil, school
):
    """Form PT1 (seed 003): a part-time timetable is time-limited, with a plan to return to
    full time (DfE, Working together to improve school attendance). The school records the day
    the pupil went back; the timetable ends with its review and end-date reminders, and
    another pupil's timetable keeps its own."""

    def notified(child):
        return services.notify_part_time_timetable(
            senco, pupil=child, school=school, reason="Anxiety", hours_per_week=10,
            start_date=D(2026, 3, 2), end_date=D(2026, 3, 27), return_plan="Build up",
            next_review_date=D(2026, 3, 16), consent_given_by="Mother",
            consent_given_on=D(2026, 2, 27),
        )  # fmt: skip

    timetable, other = notified(pupil), notified(pupil_at(school))
    others_before = sorted(deadlines_of(other).live().values_list("pk", flat=True))
    assert deadlines_of(timetable).live().exists() and others_before
    client = client_for(senco)
    page = reverse("plans:full-time", args=[timetable.pk])
    assert "When did the pupil go back to a full-time timetable?" in (
        client.get(page).content.decode()
    )
    too_early = client.post(page, {"full_time_from_0": "27", "full_time_from_1": "2",
                                   "full_time_from_2": "2026"})  # fmt: skip
    assert too_early.status_code == 400
    assert too_early.context["form"].errors["full_time_from"] == [
        "The date must be on or after 2 March 2026, when the part-time timetable started"
    ]
    future = client.post(
        page, {"full_time_from_0": "9", "full_time_from_1": "3", "full_time_from_2": "2026"}
    )  # fmt: skip (today: 2 March)
    assert future.context["form"].errors["full_time_from"] == [
        "The date must be today or in the past"
    ]
    timetable.refresh_from_db()
    assert timetable.status == PlanStatus.ACTIVE
    with time_machine.travel(datetime.datetime(2026, 3, 24, 10), tick=False):
        done = client_for(senco).post(page, {"full_time_from_0": "23", "full_time_from_1": "3",
                                  "full_time_from_2": "2026"}, follow=True)  # fmt: skip
    assert "back to full time" in done.content.decode()
    assert "Back to full time from 23 March 2026" in done.content.decode()
    timetable.refresh_from_db()
    assert (timetable.status, timetable.full_time_from) == (PlanStatus.ENDED, D(2026, 3, 23))
    assert not deadlines_of(timetable).live().exists()
    assert sorted(deadlines_of(other).live().values_list("pk", flat=True)) == others_before


def test_the_monitoring_list_puts_past_end_then_overdue_review_first(
    client_for, member, orgs, school
):
    """Seed 003: "All Part-Time Tables implemented will be monitored by the service": those past
    their end date, then those overdue a review, come first."""
    ServiceSettingsFactory(service=orgs["bacme"], monitors_part_time_timetables=True)
    officer = member(Role.CASEWORKER, organisation=orgs["bacme"])
    creator = member(Role.SCHOOL_STAFF, organisation=school.organisation)

    def timetable(name, **dates):
        return TimetableActiveFactory(
            pupil=pupil_at(school, legal_first_name=name), school=school, created_by=creator,
            **dates,
        )  # fmt: skip

    later = timetable("Later", end_date=D(2026, 5, 1), next_review_date=D(2026, 3, 20))
    overdue = timetable("Overdue", end_date=D(2026, 4, 1), next_review_date=D(2026, 2, 27))
    past_end = timetable("Past", end_date=D(2026, 2, 27), next_review_date=D(2026, 3, 20))
    soon = timetable(
        "Soon", end_date=D(2026, 3, 20), next_review_date=D(2026, 3, 9),
    )  # fmt: skip
    soon.pupil.care_status = CareStatus.LOOKED_AFTER
    soon.pupil.save()
    response = client_for(officer).get(reverse("plans:monitoring"))
    assert [t.pk for t in response.context["timetables"]] == [
        past_end.pk, overdue.pk, soon.pk, later.pk
    ]  # fmt: skip
    assert "Looked after" in response.content.decode()
    assert (
        client_for(member(Role.CASEWORKER, organisation=orgs["bass"]))
        .get(reverse("plans:monitoring"))
        .status_code
        == 403
    )


def test_word_and_pdf_downloads_hold_the_pupil_and_the_targets(client_for, senco, pupil, school):
    """Each plan downloads as Word and PDF with the pupil and the targets, as the paper forms
    did."""
    import docx
    import pypdf

    psp = PspActiveFactory(pupil=pupil, school=school, created_by=senco)
    TargetFactory(psp=psp, description="Stays in maths lessons four times a week")
    client = client_for(senco)
    word = client.get(reverse("plans:psp-download", args=[psp.pk, "docx"]))
    assert word["Content-Type"].endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    tables = " ".join(c.text for t in docx.Document(io.BytesIO(word.content)).tables
                      for row in t.rows for c in row.cells)  # fmt: skip
    assert pupil.display_name in text
    assert "Stays in maths lessons four times a week" in tables
    pdf = client.get(reverse("plans:psp-download", args=[psp.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    pages = pypdf.PdfReader(io.BytesIO(pdf.content)).pages
    pdf_text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert pupil.display_name in pdf_text
    assert "Stays in maths lessons four times a week" in pdf_text


def test_plans_are_hidden_from_other_schools_and_unrelated_services(
    client_for, member, orgs, senco, pupil, school, authority
):
    """Plans are read by the pupil's school and the services working with the pupil, never by
    another school or an unrelated service."""
    from tests.pupils.factories import SchoolFactory

    psp = PspActiveFactory(pupil=pupil, school=school, created_by=senco)
    other_school = SchoolFactory(organisation__local_authority=authority)
    url = reverse("plans:psp", args=[psp.pk])
    assert client_for(senco).get(url).status_code == 200
    for outsider in (
        member(Role.SCHOOL_STAFF, organisation=other_school.organisation),
        member(Role.CASEWORKER, organisation=orgs["bass"]),
    ):
        assert client_for(outsider).get(url).status_code == 404


def test_a_psp_past_its_review_is_flagged_on_the_school_and_service_lists(
    client_for, member, orgs, senco, school, types
):
    """A PSP past its review date is flagged on the school's and the service's lists."""
    pupil = pupil_at(school)
    psp = PspActiveFactory(
        pupil=pupil, school=school, created_by=senco, next_review_date=D(2026, 2, 23)
    )
    school_list = client_for(senco).get(reverse("plans:list"))
    assert [p.review_overdue for p in school_list.context["psps"]] == [True]
    caseworker = member(Role.CASEWORKER, organisation=orgs["boss"])
    referral = ReferralAllocatedFactory(referral_type=types["boss"], pupil=pupil, school=school)
    case = CaseOpenFactory(referral=referral, caseworker=caseworker)
    page = client_for(caseworker).get(reverse("cases:detail", args=[case.pk]))
    assert [(p.pk, p.review_overdue) for p in page.context["plans"]] == [(psp.pk, True)]
    assert "Review overdue" in page.content.decode()


def test_a_service_reads_a_pupils_plans_only_once_the_gateway_has_accepted(
    client_for, member, orgs, senco, pupil, school, types, screener
):
    """The hole: a BOSS caseworker read a pupil's PSP and risk assessment (page and API) while
    the referral still waited at the PRT. Involvement starts at acceptance; the PRT, which
    screens the PSP, reads it from the start."""
    from referrals import services as referral_services
    from tests.referrals.factories import checklist_ticked
    from tests.referrals.test_rules import boss_referral

    psp = PspActiveFactory(pupil=pupil, school=school, created_by=senco)
    risk = services.record_risk_assessment(
        senco, pupil=pupil, school=school, triggers="Noise", early_signs="Pacing",
        de_escalation="Quiet room", support_measures="Key adult", review_date=D(2026, 4, 20),
    )  # fmt: skip
    referral = referral_services.submit_referral(senco, boss_referral(senco, pupil, types, school))
    boss = client_for(member(Role.CASEWORKER, organisation=orgs["boss"]))
    pages = [reverse("plans:psp", args=[psp.pk]), reverse("plans:risk-assessment", args=[risk.pk])]

    for page in pages:
        assert boss.get(page).status_code == 404
    assert boss.get(reverse("api:psp-list")).json()["results"] == []
    assert boss.get(reverse("api:risk-assessment-list")).json()["results"] == []
    assert client_for(screener).get(pages[0]).status_code == 200

    referral_services.accept_referral(screener, referral, checklist=checklist_ticked(referral))
    for page in pages:
        assert boss.get(page).status_code == 200
    assert [row["id"] for row in boss.get(reverse("api:psp-list")).json()["results"]] == [psp.pk]

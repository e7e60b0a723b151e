"""Demo referral types for Northmoor: each service's routes, as the seeds describe them."""

from accounts.models import Organisation
from referrals.models import Question, ReferralType

TYPES = [
    # code, name, service, gateway, questions, PSP document, sensitive, incomplete allowed, weeks
    ("boss-individual", "BOSS individual referral", "boss", "prt",
     [Question.LADDER, Question.EXCLUSIONS], True, False, False, 2),
    ("bass-individual", "BASS individual intervention", "bass", None,
     [Question.LADDER, Question.EXCLUSIONS], False, False, False, 2),
    ("bass-assessment", "BASS behaviour assessment", "bass", None, [Question.LADDER],
     False, False, False, 2),
    ("bass-transition", "BASS Year 6 to 7 transition support", "bass", None, [],
     False, False, False, 2),
    ("bass-restorative", "BASS restorative justice conference", "bass", None,
     [Question.EXCLUSIONS], False, False, False, 2),
    ("bacme-psp", "BACME Pastoral Support Plan support", "bacme", "bacme-inbox",
     [Question.LADDER], False, False, False, 2),
    ("bacme-hsb", "BACME harmful sexual behaviour (HSB)", "bacme", "bacme-inbox", [],
     False, True, False, 2),
    ("bex1", "Behaviour officer: parent referral (B/ex1)", "behaviour-officer", None,
     [Question.PARENT, Question.EXCLUSIONS], False, False, False, 1),
    ("bex2", "Behaviour officer: professional referral (B/ex2)", "behaviour-officer", None,
     [Question.PROFESSIONAL, Question.EXCLUSIONS], False, False, True, 1),
]  # fmt: skip


def seed_referral_types() -> None:
    organisations = {o.code: o for o in Organisation.objects.all()}
    for code, name, service, gateway, questions, psp, sensitive, incomplete, weeks in TYPES:
        if ReferralType.objects.filter(code=code).exists():
            continue
        referral_type = ReferralType(
            code=code,
            name=name,
            service=organisations[service],
            gateway=organisations[gateway] if gateway else None,
            questions=list(questions),
            requires_psp_document=psp,
            sensitive=sensitive,
            allows_incomplete=incomplete,
            allocation_target_weeks=weeks,
        )
        referral_type.full_clean()
        referral_type.save()


def seed_referrals(today) -> None:
    """A few referrals from the demo SENCO's schools: some waiting at the PRT, one asking for
    more information, one accepted into BOSS awaiting allocation, one BASS referral."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from deadlines.calendar import CalendarDataMissing
    from pupils.models import CareStatus, Pupil
    from referrals import services
    from referrals.models import AttachmentKind, Referral

    senco = User.objects.get(email="senco@northmoor.example")
    if Referral.objects.filter(created_by=senco).exists():
        return
    screener = User.objects.get(email="screener@northmoor.example")
    schools = [m.organisation.school for m in senco.memberships.order_by("pk")]
    boss = ReferralType.objects.get(code="boss-individual")
    bass = ReferralType.objects.get(code="bass-individual")
    psp = b"%PDF-1.4\n% Demo Pastoral Support Plan\n%%EOF\n"
    plans = [(boss, None), (boss, "more"), (boss, "accept"), (bass, None), (boss, "accept")]
    for index, (referral_type, outcome) in enumerate(plans):
        school = schools[index % len(schools)]
        candidates = list(
            Pupil.objects.filter(enrolments__school=school, enrolments__end_date__isnull=True)
            .exclude(care_status=CareStatus.LOOKED_AFTER)
            .order_by("pk")[:8]
        )
        if len(candidates) <= index:
            continue
        pupil = candidates[index]
        try:
            referral = services.start_referral(
                senco, pupil=pupil, referral_type=referral_type, school=school
            )
            services.save_answers(
                senco,
                referral,
                reason="Repeated disruption and two suspensions this term; risk of permanent "
                "exclusion.",
                concerns="Leaves lessons without permission; confrontational with staff.",
                pupil_views="Says lessons are too hard and nobody listens.",
                consent_given_by="Parent (by phone)",
                consent_given_on=today,
                consent_method="phone",
                previous_step_started=_first_day_of_year(school, today),
                crisis=True,
                crisis_reason="Two suspensions this half term; the school fears a permanent "
                "exclusion before the usual 12 weeks are up.",
                interventions_tried="Mentoring, a report card, a reduced timetable review.",
            )
            if referral_type.requires_psp_document:
                services.attach_document(
                    senco,
                    referral,
                    kind=AttachmentKind.PSP,
                    upload=SimpleUploadedFile("Pastoral Support Plan.pdf", psp),
                )
            services.submit_referral(senco, referral)
            if outcome == "more":
                services.request_more_information(
                    screener, referral, question="Please attach the latest PSP review notes."
                )
            elif outcome == "accept":
                services.accept_referral(screener, referral, checklist=_all_ticked(referral))
        except CalendarDataMissing:
            continue


def _all_ticked(referral) -> dict:
    from referrals.selectors import checklist_items

    return {key: True for key, _ in checklist_items(referral)}


def _first_day_of_year(school, today):
    from deadlines.models import Term
    from pupils.years import academic_year_of

    term = (
        Term.objects.filter(
            authority=school.organisation.local_authority_id, academic_year=academic_year_of(today)
        )
        .order_by("start_date")
        .first()
    )
    return term.start_date if term else today

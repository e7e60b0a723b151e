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

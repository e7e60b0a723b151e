"""The referral form's sections, and what a referral still lacks before it can be submitted."""

from dataclasses import dataclass

from django.utils import timezone

from deadlines.calendar import SchoolCalendar
from pupils.models import CareStatus
from referrals.models import AttachmentKind, Question, Referral

LADDER_WEEKS = 12


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]

    def applies_to(self, referral: Referral) -> bool:
        kind = referral.referral_type
        return {
            "ladder": kind.asks(Question.LADDER),
            "exclusions": kind.asks(Question.EXCLUSIONS),
            "virtual-school": referral.pupil.care_status == CareStatus.LOOKED_AFTER,
            "referrer": kind.asks(Question.PARENT) or kind.asks(Question.PROFESSIONAL),
        }.get(self.slug, True)


SECTIONS = [
    Section(
        "about",
        "About the referral",
        ("reason", "concerns", "strengths", "pupil_views", "parent_views"),
    ),
    Section(
        "ladder",
        "The graduated response",
        ("previous_step_started", "interventions_tried", "crisis", "crisis_reason"),
    ),
    Section("exclusions", "Suspensions and exclusions", ("exclusion_history",)),
    Section(
        "virtual-school",
        "Consulting the virtual school",
        ("virtual_school_consulted_on", "virtual_school_consulted_with"),
    ),
    Section(
        "consent", "Parental consent", ("consent_given_by", "consent_given_on", "consent_method")
    ),
    Section(
        "referrer",
        "Who is making the referral",
        ("referrer_name", "referrer_role", "referrer_phone", "referrer_email"),
    ),
    Section("documents", "Documents", ()),
]
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}


def sections_for(referral: Referral) -> list[Section]:
    return [section for section in SECTIONS if section.applies_to(referral)]


@dataclass(frozen=True)
class Missing:
    section: str
    field: str
    message: str
    hard: bool = False  # refused even for a type that may be submitted incomplete


def missing_answers(referral: Referral) -> list[Missing]:
    """Every answer the referral still needs, with a message in words."""
    kind = referral.referral_type
    missing = []
    if not referral.reason.strip():
        missing.append(Missing("about", "reason", "Enter why you are referring the pupil"))
    if kind.asks(Question.LADDER):
        missing += _ladder(referral)
    if referral.pupil.care_status == CareStatus.LOOKED_AFTER:
        missing += _virtual_school(referral)
    for field, message in [
        ("consent_given_by", "Enter who gave consent for the referral"),
        ("consent_given_on", "Enter the date consent was given"),
        ("consent_method", "Select how consent was given"),
    ]:
        if not getattr(referral, field):
            missing.append(Missing("consent", field, message))
    if kind.asks(Question.PARENT) or kind.asks(Question.PROFESSIONAL):
        if not referral.referrer_name.strip():
            missing.append(Missing("referrer", "referrer_name", "Enter the referrer's name"))
        if not (referral.referrer_phone or referral.referrer_email):
            missing.append(
                Missing("referrer", "referrer_phone", "Enter a phone number or e-mail address")
            )
    if kind.requires_psp_document and not _has_psp(referral):
        missing.append(
            Missing(
                "documents",
                "file",
                "Attach the pupil's Pastoral Support Plan: a BOSS referral must come with one",
                hard=True,
            )
        )
    return missing


def _has_psp(referral: Referral) -> bool:
    """Seed 000: "the referral must be accompanied by a comprehensive PSP which will be screened
    by the PRT". A linked PSP record satisfies this, as does an attached PSP document (from a
    school that keeps its PSPs elsewhere)."""
    return (
        referral.psp_id is not None or referral.attachments.filter(kind=AttachmentKind.PSP).exists()
    )


def _ladder(referral: Referral) -> list[Missing]:
    """Seed 000: referral to the next step is "normally after about 12 weeks"; a pupil who
    reaches crisis point quickly may have the steps compressed, which needs a reason."""
    missing = []
    if not referral.previous_step_started:
        missing.append(
            Missing("ladder", "previous_step_started", "Enter when the previous step began")
        )
    if not referral.interventions_tried.strip():
        missing.append(
            Missing("ladder", "interventions_tried", "Enter what has been tried at that step")
        )
    if referral.previous_step_started and referral.school_id:
        today = timezone.localdate()
        weeks = SchoolCalendar(referral.school, provisional=True).school_weeks_between(
            referral.previous_step_started, today
        )
        if weeks < LADDER_WEEKS and not (referral.crisis and referral.crisis_reason.strip()):
            missing.append(
                Missing(
                    "ladder",
                    "crisis_reason",
                    f"The previous step began {weeks} school week{'s' if weeks != 1 else ''} "
                    f"ago, less than {LADDER_WEEKS}: say that the pupil has reached crisis "
                    "point and why the steps are compressed",
                )
            )
    return missing


def _virtual_school(referral: Referral) -> list[Missing]:
    """Seed 000: early referral "must be in consultation with virtual school if the child is
    in care"; seed 002: the designated teacher consults the virtual school head."""
    missing = []
    if not referral.virtual_school_consulted_on:
        missing.append(
            Missing(
                "virtual-school",
                "virtual_school_consulted_on",
                "Enter when you consulted the virtual school: this pupil is looked after",
                hard=True,
            )
        )
    if not referral.virtual_school_consulted_with.strip():
        missing.append(
            Missing(
                "virtual-school",
                "virtual_school_consulted_with",
                "Enter who at the virtual school you consulted",
                hard=True,
            )
        )
    return missing


@dataclass(frozen=True)
class Task:
    """One section of the referral form as the GOV.UK task list shows it."""

    section: Section
    status: str  # "completed", "incomplete" or "not_started"
    problems: tuple[str, ...] = ()


def tasks_for(referral: Referral) -> list[Task]:
    """Each section's status: completed when it is answered and lacks nothing; incomplete
    when something it needs is missing after it was started; not yet started otherwise."""
    missing = missing_answers(referral)
    tasks = []
    for section in sections_for(referral):
        problems = tuple(m.message for m in missing if m.section == section.slug)
        if section.slug == "documents":
            answered = referral.psp_id is not None or referral.attachments.exists()
        else:
            answered = any(_answered(getattr(referral, name)) for name in section.fields)
        if not answered:
            status = "not_started"
        elif problems:
            status = "incomplete"
        else:
            status = "completed"
        tasks.append(Task(section, status, problems))
    return tasks


def _answered(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value not in (None, False)

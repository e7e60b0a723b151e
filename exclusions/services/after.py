"""What follows an exclusion: reintegration, outcomes, support for the parent."""

from accounts.models import Role
from config.actions import locked, service_action
from config.errors import DomainError
from deadlines import services as deadline_services
from deadlines.codes import KindCode
from exclusions.models import (
    Exclusion,
    ExclusionActivityKind,
    Kind,
    Outcome,
    OutcomeKind,
    ParentSupport,
)
from exclusions.services.common import (
    _event,
    _require,
)


@service_action
def reintegrate(actor, exclusion: Exclusion, *, new_school, start_date, meeting_on, review_on):
    """Seed 000: a pupil reintegrating into mainstream after a permanent exclusion
    automatically has BOSS support: the new school's enrolment opens the BOSS referral."""
    from pupils import services as pupil_services
    from referrals import services as referral_services

    locked(exclusion)
    _require(actor, exclusion, "school", "la")
    if exclusion.kind != Kind.PERMANENT:
        raise DomainError("Reintegration follows a permanent exclusion.")
    if new_school.pk == exclusion.school_id:
        raise DomainError("Choose the new school", field="new_school")
    pupil_services.enrol_pupil(actor, exclusion.pupil, new_school, start_date=start_date)
    referral = referral_services.create_reintegration_referral(
        actor,
        pupil=exclusion.pupil,
        school=new_school,
        note=f"Reintegration at {new_school} after the permanent exclusion from "
        f"{exclusion.school}.",
    )
    outcome = Outcome.objects.create(
        exclusion=exclusion, kind=OutcomeKind.REINTEGRATION, start_date=start_date,
        provider=new_school.name, meeting_on=meeting_on, review_on=review_on,
        recorded_by=actor,
    )  # fmt: skip
    if review_on:
        deadline_services.create_deadline(
            actor, kind=KindCode.ACTION, subject=outcome, pupil=exclusion.pupil, school=new_school,
            start_date=start_date, due_date=review_on, title="Review the reintegration",
            owner_organisation=new_school.organisation, owner_role=Role.SCHOOL_STAFF,
        )  # fmt: skip
    _event(
        exclusion, actor, ExclusionActivityKind.REINTEGRATION,
        f"At {new_school} from {start_date:%-d %B %Y}; BOSS referral {referral.reference}",
    )  # fmt: skip
    return referral


@service_action
def record_outcome(actor, exclusion: Exclusion, **fields) -> Outcome:
    """Seed 001: managed moves and alternative provision, with their dates."""
    _require(actor, exclusion, "school", "la", "service")
    outcome = Outcome(exclusion=exclusion, recorded_by=actor, **fields)
    outcome.full_clean()
    outcome.save()
    _event(exclusion, actor, ExclusionActivityKind.OUTCOME, str(outcome))
    return outcome


@service_action
def record_parent_support(actor, exclusion: Exclusion, **fields) -> ParentSupport:
    """Seed 004: Stage 1 advice or Stage 2 support at a meeting, with a volunteer if needed."""
    _require(actor, exclusion, "service")
    support = ParentSupport(exclusion=exclusion, recorded_by=actor, **fields)
    support.full_clean()
    support.save()
    _event(exclusion, actor, ExclusionActivityKind.SUPPORT, support.get_stage_display())
    return support

"""State changes for schools and pupils. Views, admin actions, commands and tasks call these."""

import datetime

from django.utils import timezone

from accounts.models import Organisation, OrganisationKind
from config.actions import locked, service_action
from config.errors import DomainError
from pupils.models import (
    CareEpisode,
    CareStatus,
    Enrolment,
    Pupil,
    PupilContact,
    School,
    SenEpisode,
    SenStatus,
)


@service_action
def create_school(
    actor, *, authority: Organisation, urn: str, establishment_number: str, name: str, **fields
) -> School:
    organisation = Organisation.objects.create(
        name=name, kind=OrganisationKind.SCHOOL, code=f"urn-{urn}", local_authority=authority
    )
    return School.objects.create(
        organisation=organisation,
        urn=urn,
        establishment_number=establishment_number,
        name=name,
        **fields,
    )


@service_action
def register_pupil(
    actor, *, school: School, enrolled_on: datetime.date, care_status=CareStatus.NONE, **fields
) -> Pupil:
    """Add a pupil with a valid UPN and put them on roll at ``school``."""
    pupil = Pupil(**fields)
    pupil.full_clean()
    pupil.save()
    Enrolment.objects.create(pupil=pupil, school=school, start_date=enrolled_on)
    _open_care_episode(pupil, care_status, enrolled_on)
    return pupil


@service_action
def enrol_pupil(actor, pupil: Pupil, school: School, *, start_date: datetime.date) -> Enrolment:
    if Enrolment.objects.current().filter(pupil=pupil, school=school).exists():
        raise DomainError(f"{pupil} is already on roll at {school}.", field="school")
    return Enrolment.objects.create(pupil=pupil, school=school, start_date=start_date)


@service_action
def end_enrolment(actor, enrolment: Enrolment, *, end_date: datetime.date) -> Enrolment:
    locked(enrolment)
    if enrolment.end_date is not None:
        raise DomainError("This enrolment has already ended.")
    if end_date < enrolment.start_date:
        raise DomainError("The leaving date must be on or after the start date.", field="end_date")
    enrolment.end_date = end_date
    enrolment.save(update_fields=["end_date"])
    return enrolment


def _open_care_episode(pupil: Pupil, status: str, start_date: datetime.date) -> None:
    if status != CareStatus.NONE:
        CareEpisode.objects.create(pupil=pupil, status=status, start_date=start_date)
    if pupil.care_status != status:
        pupil.care_status = status
        pupil.save(update_fields=["care_status"])


@service_action
def change_care_status(
    actor,
    pupil: Pupil,
    *,
    status: str,
    start_date: datetime.date,
    responsible_authority="",
    looked_after_by=None,
) -> Pupil:
    """Close the open care episode the day before ``start_date`` and open the new one.
    ``looked_after_by``: the authority looking after the child, whose virtual school follows
    them to any school (seed 002)."""
    locked(pupil)
    current = pupil.care_episodes.filter(end_date__isnull=True).first()
    if current is not None:
        if start_date <= current.start_date:
            raise DomainError(
                f"The new status must start after {current.start_date:%-d %B %Y}, "
                "when the current one started.",
                field="start_date",
            )
        current.end_date = start_date - datetime.timedelta(days=1)
        current.save(update_fields=["end_date"])
    _open_care_episode(pupil, status, start_date)
    if looked_after_by is not None and pupil.looked_after_by_id != looked_after_by.pk:
        pupil.looked_after_by = looked_after_by
        pupil.save(update_fields=["looked_after_by"])
    if responsible_authority and status != CareStatus.NONE:
        pupil.care_episodes.filter(end_date__isnull=True).update(
            responsible_authority=responsible_authority
        )
    return pupil


@service_action
def record_sen_status(
    actor, pupil: Pupil, *, sen_status: str, primary_need: str = "",
    start_date: datetime.date | None = None,
) -> Pupil:  # fmt: skip
    """The pupil's school records or corrects their special educational provision: SEN
    support or an EHC plan from ``start_date``, or that they no longer have SEN. The open
    episode ends the day before; the history is kept (the DfE's SEN history, as the Common
    Transfer File carries it). Each primary need is one of the school census's codes."""
    locked(pupil)
    _require_pupils_school(actor, pupil)
    start_date = start_date or timezone.localdate()
    if start_date > timezone.localdate():
        raise DomainError("The date must be today or in the past", field="start_date")
    if start_date < pupil.date_of_birth:
        raise DomainError("The date must be after the pupil was born", field="start_date")
    if sen_status == SenStatus.NONE and primary_need:
        raise DomainError(
            "A primary need is recorded only for a pupil with SEN.", field="primary_need"
        )
    if sen_status != SenStatus.NONE and not primary_need:
        raise DomainError("Select the pupil's primary need", field="primary_need")
    current = pupil.sen_episodes.filter(end_date__isnull=True).first()
    if current is not None:
        if (current.provision, current.primary_need) == (sen_status, primary_need):
            raise DomainError(
                f"{pupil} already has {current.get_provision_display()} with this primary need.",
                field="sen_status", code="already_done", conflict=True,
            )  # fmt: skip
        if start_date <= current.start_date:
            raise DomainError(
                f"The change must start after {current.start_date:%-d %B %Y}, when the "
                "current provision started.",
                field="start_date",
            )
        current.end_date = start_date - datetime.timedelta(days=1)
        current.save(update_fields=["end_date"])
    elif sen_status == SenStatus.NONE and pupil.sen_status == SenStatus.NONE:
        raise DomainError(f"{pupil} has no SEN recorded.", field="sen_status", code="already_done")
    if sen_status != SenStatus.NONE:
        SenEpisode.objects.create(
            pupil=pupil, provision=sen_status, primary_need=primary_need, start_date=start_date,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
    pupil.sen_status = sen_status
    pupil.sen_primary_need = primary_need
    pupil.save(update_fields=["sen_status", "sen_primary_need"])
    return pupil


def _require_pupils_school(actor, pupil: Pupil) -> None:
    """Staff of a school the pupil is on roll at now."""
    from accounts.policy import school_staff_organisations

    ours = school_staff_organisations(actor)
    if not pupil.enrolments.filter(end_date__isnull=True, school__organisation__in=ours).exists():
        raise DomainError("Only staff of the pupil's school can record their SEN.")


@service_action
def add_pupil_contact(actor, pupil: Pupil, **fields) -> PupilContact:
    contact = PupilContact(pupil=pupil, **fields)
    contact.full_clean()
    contact.save()
    return contact

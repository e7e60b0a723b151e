"""State changes for casework."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Membership, Role
from accounts.policy import active_memberships
from audit.context import service_action
from cases.models import Case, CaseStatus, Contact, ServiceSettings
from config.errors import DomainError
from deadlines import services as deadline_services
from deadlines.calendar import SchoolCalendar
from deadlines.models import Deadline
from referrals import services as referral_services
from referrals.models import Referral, Status


def settings_for(service) -> ServiceSettings:
    return ServiceSettings.objects.filter(service=service).first() or ServiceSettings(
        service=service
    )


@service_action
def allocate_referral(actor, referral: Referral, *, caseworker) -> Case:
    """A service manager allocates an accepted referral to a caseworker of the service: the
    case opens, the allocation target is recorded as met or missed (seed 001: "allocated
    within 2 weeks"), and the service's own clocks start."""
    managed = {
        m.organisation_id for m in active_memberships(actor) if m.role == Role.SERVICE_MANAGER
    }
    if referral.service_id not in managed:
        raise DomainError("Only a manager of the receiving service can allocate this referral.")
    if referral.status != Status.ACCEPTED:
        raise DomainError(
            f"This referral is {referral.get_status_display().lower()}: only an accepted "
            "referral waiting for allocation can be allocated."
        )
    is_caseworker = Membership.objects.active().filter(
        user=caseworker, organisation=referral.service, role=Role.CASEWORKER
    )
    if not is_caseworker.exists():
        raise DomainError(
            f"{caseworker} is not a caseworker of {referral.service.name}.", field="caseworker"
        )
    today = timezone.localdate()
    allocation = (
        Deadline.objects.live()
        .filter(
            kind__code="allocation",
            subject_type=ContentType.objects.get_for_model(Referral),
            subject_id=referral.pk,
        )
        .first()
    )
    service_settings = settings_for(referral.service)
    case = Case.objects.create(
        referral=referral,
        pupil=referral.pupil,
        service=referral.service,
        school=referral.school,
        caseworker=caseworker,
        confidential=service_settings.confidential,
        opened_on=today,
    )
    referral.allocated_at = timezone.now()
    referral.allocation_target_met = allocation is None or today <= allocation.due_date
    referral.save(update_fields=["allocated_at", "allocation_target_met"])
    referral_services.mark_allocated(actor, referral)
    _start_case_clocks(case, service_settings, today)
    return case


def _start_case_clocks(case: Case, service_settings: ServiceSettings, today: datetime.date):
    if service_settings.maximum_involvement_weeks:
        deadline_services.create_deadline(
            None,
            kind="boss-maximum-involvement",
            subject=case,
            pupil=case.pupil,
            school=case.school if service_settings.counts_school_weeks else None,
            start_date=today,
            title=f"{case.pupil}: {service_settings.maximum_involvement_weeks} weeks of "
            f"{case.service.name} involvement",
            owner_user=case.caseworker,
            length=service_settings.maximum_involvement_weeks
            if service_settings.counts_school_weeks
            else service_settings.maximum_involvement_weeks * 7,
            counting=None if service_settings.counts_school_weeks else "calendar_days",
        )
    if service_settings.contact_parent_on_allocation:
        deadline_services.create_deadline(
            None,
            kind="parent-contact",
            subject=case,
            pupil=case.pupil,
            school=case.school,
            start_date=today,
            title=f"Contact {case.pupil}'s parent or carer today",
            owner_user=case.caseworker,
        )


@service_action
def record_contact(actor, case: Case, **fields) -> Contact:
    """Form B/ex3: a contact on an open case, by a member of its service."""
    if case.status != CaseStatus.OPEN:
        raise DomainError("Contacts are recorded on open cases only.")
    if case.service_id not in {m.organisation_id for m in active_memberships(actor)}:
        raise DomainError("Only the service working the case can record its contacts.")
    if fields.get("date") and fields["date"] > timezone.localdate():
        raise DomainError("The date of the contact must be today or in the past.", field="date")
    contact = Contact(case=case, recorded_by=actor, **fields)
    contact.full_clean()
    contact.save()
    if contact.with_parent:
        deadline_services.satisfy_deadlines_for(actor, case, "parent-contact")
    return contact


def weeks_used(
    case: Case,
    today: datetime.date,
    calendar: SchoolCalendar | None = None,
    *,
    counts_school_weeks: bool = True,
) -> int:
    """Weeks of involvement so far: school weeks on the school's calendar (half terms and
    holidays do not count), or calendar weeks for a service that counts those (seed 000)."""
    end = case.closed_on or today
    if calendar is None or not counts_school_weeks:
        return (end - case.opened_on).days // 7
    return calendar.school_weeks_between(case.opened_on, end)

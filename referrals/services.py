"""State changes for referrals. Each checks its rule, writes, records the event and schedules
or stops the allocation clock; views, the API and other apps call these."""

import datetime
import uuid

from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind, Role
from accounts.policy import active_memberships, belongs_to
from accounts.selectors import virtual_school_officers
from config.actions import locked, service_action
from config.errors import DomainError, require_transition
from config.sync import require_new_external_id
from deadlines import services as deadline_services
from deadlines.calendar import SchoolCalendar
from deadlines.codes import Counting, KindCode
from deadlines.selectors import live_deadline
from pupils.models import CareStatus, Pupil
from referrals.access import can_screen
from referrals.answers import missing_answers
from referrals.files import (
    ALLOWED,
    EXTENSIONS,
    ArchiveTooLarge,
    MacroDocument,
    detect_content_type,
    served_name,
)
from referrals.models import (
    BOSS_CODE,
    DONE,
    EDITABLE_STATUSES,
    PRT_CODE,
    SCREENING_STATUSES,
    STANDS,
    TRANSITIONS,
    Attachment,
    EventKind,
    Question,
    Redirection,
    Referral,
    ReferralActivity,
    ReferralType,
    Source,
    Status,
)
from referrals.selectors import checklist_items

ANSWER_FIELDS = {
    "reason", "concerns", "strengths", "pupil_views", "parent_views", "previous_step_started",
    "interventions_tried", "crisis", "crisis_reason", "exclusion_history",
    "virtual_school_consulted_on", "virtual_school_consulted_with", "consent_given_by",
    "consent_given_on", "consent_method", "referrer_name", "referrer_role", "referrer_phone",
    "referrer_email",
}  # fmt: skip


class OpenReferralExists(DomainError):
    """Seed 004 keeps one file per referral; the service rule is one open referral per pupil
    per service. ``existing`` is the open one, for a link."""

    def __init__(self, existing: Referral):
        super().__init__(
            f"{existing.pupil} already has an open referral to {existing.service.name} "
            f"({existing.label}, {existing.get_status_display().lower()}).",
            code="open_referral_exists",
            conflict=True,
        )
        self.existing = existing


def _move(referral: Referral, status: str) -> None:
    """Move a referral (locked by its service) along its workflow, or say in words why not."""
    require_transition(
        TRANSITIONS, Status(referral.status), Status(status), what="referral", stands=STANDS,
        done=DONE,
    )  # fmt: skip
    referral.status = status
    happened = "question_asked" if status == Status.MORE_INFORMATION else "status_changed"
    deadline_services.announce(happened, referral, school=referral.school, status=status)


def _require_same_authority(referral: Referral, service) -> None:
    if service.local_authority_id != referral.service.local_authority_id:
        raise DomainError("Choose one of your authority's services.", field="service")


def _require_screening(referral: Referral, decision: str) -> None:
    """A screening decision is taken on a referral sent to the gateway and not yet decided:
    two screeners deciding at once get one decision and one message."""
    if referral.status != Status.SUBMITTED:
        only_submitted = {Status(referral.status): set()}
        require_transition(
            only_submitted, Status(referral.status), Status(decision), what="referral",
            stands=STANDS, done=DONE,
        )  # fmt: skip


def _require_editable(referral: Referral, message: str) -> None:
    if referral.status not in EDITABLE_STATUSES:
        raise DomainError(message)


def _event(referral: Referral, actor, kind: str, note: str = "") -> ReferralActivity:
    return ReferralActivity.objects.create(
        referral=referral, kind=kind, actor=actor if getattr(actor, "pk", None) else None, note=note
    )


def _check_open(pupil: Pupil, service: Organisation, exclude: Referral | None = None) -> None:
    others = Referral.objects.open().filter(pupil=pupil, service=service)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    existing = others.select_related("service", "pupil").first()
    if existing:
        raise OpenReferralExists(existing)


def _check_boss_through_prt(referral_type: ReferralType, gateway) -> None:
    """Seed 000: "All referrals for BOSS support must be made to PRT, not directly to BOSS.\""""
    if referral_type.service.code == BOSS_CODE and (gateway is None or gateway.code != PRT_CODE):
        raise DomainError(
            "A BOSS referral must be sent to the PRT (Pupil Referral Team), not straight to BOSS."
        )


def _school_staff_at(actor, school) -> bool:
    return any(
        m.role == Role.SCHOOL_STAFF and m.organisation_id == school.organisation_id
        for m in active_memberships(actor)
    )


@service_action
def start_referral(actor, *, pupil: Pupil, referral_type: ReferralType, school) -> Referral:
    """A school starts a draft referral for a pupil on its roll."""
    if not _school_staff_at(actor, school):
        raise DomainError("Only staff of the referring school can start its referrals.")
    if not pupil.enrolments.filter(school=school, end_date__isnull=True).exists():
        raise DomainError(f"{pupil} is not on roll at {school}.", field="pupil", code="not_on_roll")
    if not referral_type.is_active:
        raise DomainError("That kind of referral is no longer taken.", field="referral_type")
    if referral_type.asks(Question.PARENT):
        raise DomainError(
            "A parent's referral is taken from the parent by the behaviour officer.",
            field="referral_type",
        )
    if referral_type.service.local_authority_id != school.organisation.local_authority_id:
        raise DomainError(
            "That kind of referral is not taken by your authority's services.",
            field="referral_type",
        )
    _check_boss_through_prt(referral_type, referral_type.gateway)
    _check_open(pupil, referral_type.service)
    referral = Referral.objects.create(
        referral_type=referral_type,
        pupil=pupil,
        school=school,
        service=referral_type.service,
        gateway=referral_type.gateway,
        sensitive=referral_type.sensitive,
        created_by=actor,
    )
    _event(referral, actor, EventKind.STARTED)
    return referral


def _takes_from_parents(actor, referral: Referral) -> bool:
    """A parent's referral (form B/ex1) is taken by the service that takes them: its own
    behaviour officer sends it."""
    return referral.referral_type.asks(Question.PARENT) and belongs_to(actor, referral.service_id)


@service_action
def take_parent_referral(actor, *, referral_type: ReferralType, pupil: Pupil, school, answers):
    """Seed 004: "A case will be opened on completion of form B/ex1 for parental referrals": a
    parent or carer rings the Parent Partnership helpline, and the behaviour officer fills in
    the form with them and sends it to their own service, where it waits for allocation like
    any other. Never a school's form: a school refers with form B/ex2 or its own kinds."""
    if not referral_type.asks(Question.PARENT) or not referral_type.is_active:
        raise DomainError("Choose the parent's referral form.", field="referral_type")
    if not belongs_to(actor, referral_type.service_id):
        raise DomainError(f"Only {referral_type.service.name} takes this referral.")
    if school.organisation.local_authority_id != referral_type.service.local_authority_id:
        raise DomainError("Choose one of your authority's schools.", field="school")
    _check_open(pupil, referral_type.service)
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise DomainError(f"Unknown answers: {', '.join(sorted(unknown))}")
    referral = Referral(
        referral_type=referral_type, pupil=pupil, school=school, service=referral_type.service,
        gateway=referral_type.gateway, sensitive=referral_type.sensitive, created_by=actor,
    )  # fmt: skip
    for field, value in answers.items():
        setattr(referral, field, value if value is not None else _empty(field))
    referral.save()
    _event(referral, actor, EventKind.STARTED, "Taken from the parent or carer")
    return submit_referral(actor, referral)


@service_action
def start_suggested_referral(actor, redirected: Referral, *, referral_type: ReferralType):
    """After the gateway redirects a referral to another service (seed 003), the school starts
    the suggested one with the answers it has already given copied into the new draft, and its
    PSP still linked: nothing is typed twice. The redirected referral itself is not changed."""
    if redirected.status != Status.REDIRECTED or redirected.redirected_to_id is None:
        raise DomainError("Only a referral redirected to another service can be started again.")
    if referral_type.service_id != redirected.redirected_to_id:
        raise DomainError(
            f"Choose a kind of referral taken by {redirected.redirected_to.name}.",
            field="referral_type",
        )
    referral = start_referral(
        actor, pupil=redirected.pupil, referral_type=referral_type, school=redirected.school
    )
    for field in ANSWER_FIELDS:
        setattr(referral, field, getattr(redirected, field))
    referral.psp_id = redirected.psp_id
    referral.save()
    return referral


@service_action
def send_referral(
    actor, *, pupil: Pupil, referral_type: ReferralType, school, answers: dict, psp=None,
    external_id: str = "",
):  # fmt: skip
    """A school's system sends a whole referral at once: started, answered, its Pastoral
    Support Plan linked (seed 000: a BOSS referral comes with one) and submitted in one
    transaction, so a refusal at any step leaves no draft behind. ``external_id`` is the
    system's own reference: sent twice, the second is refused and names the first."""
    require_new_external_id(Referral, school, external_id, what="a referral")
    referral = start_referral(actor, pupil=pupil, referral_type=referral_type, school=school)
    if external_id:
        referral.external_id = external_id
        referral.save(update_fields=["external_id"])
    save_answers(actor, referral, **answers)
    if psp is not None:
        link_psp(actor, referral, psp)
    return submit_referral(actor, referral)


@service_action
def save_answers(actor, referral: Referral, **answers) -> Referral:
    """Keep what the school has typed so far; a draft is saved at every page."""
    locked(referral)
    _require_editable(referral, "A referral can only be changed before it is submitted.")
    unknown = set(answers) - ANSWER_FIELDS
    if unknown:
        raise DomainError(f"Unknown answers: {', '.join(sorted(unknown))}")
    for field, value in answers.items():
        setattr(referral, field, value if value is not None else _empty(field))
    if not referral.crisis:
        referral.crisis_reason = ""
    referral.save()
    return referral


def _empty(field: str):
    return None if Referral._meta.get_field(field).null else ""


@service_action
def attach_document(actor, referral: Referral, *, kind: str, upload) -> Attachment:
    """Accept PDF, DOCX, ODT, JPEG or PNG, judged by content, 10 MB at most."""
    from django.conf import settings

    locked(referral)
    _require_editable(referral, "Documents can only be added before the referral is submitted.")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise DomainError("The selected file must be smaller than 10 MB", field="file")
    data = upload.read()
    if not data:
        raise DomainError("The selected file is empty", field="file")
    try:
        content_type = detect_content_type(data)
    except ArchiveTooLarge:
        raise DomainError(
            "The selected file expands to more than 50 MB: save it again, or as a PDF",
            field="file",
        ) from None
    except MacroDocument:
        raise DomainError(
            "The selected file is a Word document with macros: save it as a Word document "
            "(.docx) without macros, or as a PDF",
            field="file",
        ) from None
    if content_type is None:
        raise DomainError(
            f"The selected file must be a {', '.join(ALLOWED.values())} (its content is "
            "checked, not its name)",
            field="file",
        )
    stored_name = f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"
    attachment = Attachment(
        referral=referral,
        kind=kind,
        stored_name=stored_name,
        original_name=served_name(upload.name, content_type),
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
    )
    attachment.file.save(stored_name, ContentFile(data), save=False)
    attachment.save()
    return attachment


@service_action
def remove_document(actor, attachment: Attachment) -> None:
    _require_editable(locked(attachment.referral), "Documents of a submitted referral are kept.")
    attachment.file.delete(save=False)
    attachment.delete()


def _next_reference(year: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('referrals_reference_seq')")
        (number,) = cursor.fetchone()
    return f"REF-{year}-{number:06d}"


@service_action
def submit_referral(actor, referral: Referral) -> Referral:
    """Send the referral to its gateway (or, with none, to its service). A referral sent back
    for more information goes back with the school's answer (:func:`answer_more_information`)."""
    locked(referral)
    if referral.status == Status.MORE_INFORMATION:
        raise DomainError(
            "The gateway has asked a question: answer it to send the referral back.",
            field="answer",
        )
    if referral.status == Status.DRAFT and not (
        _school_staff_at(actor, referral.school) or _takes_from_parents(actor, referral)
    ):
        raise DomainError("Only staff of the referring school can submit its referrals.")
    _check_boss_through_prt(referral.referral_type, referral.gateway)
    missing = missing_answers(referral)
    blocking = [m for m in missing if m.hard or not referral.referral_type.allows_incomplete]
    if blocking:
        raise DomainError.all_of(
            [DomainError(m.message, field=m.field, code="missing_answer") for m in blocking]
        )
    _check_open(referral.pupil, referral.service, exclude=referral)
    _move(referral, Status.SUBMITTED)
    now = timezone.now()
    referral.submitted_at = now
    referral.reference = _next_reference(timezone.localdate().year)
    referral.incomplete = bool(missing)
    referral.missing_answers = [m.message for m in missing]
    referral.save()
    _event(
        referral,
        actor,
        EventKind.SUBMITTED,
        "Incomplete: " + "; ".join(referral.missing_answers) if missing else "",
    )
    _start_allocation_clock(referral, start=timezone.localdate())
    _tell_virtual_school(referral)
    return referral


def _start_allocation_clock(referral: Referral, *, start: datetime.date, school_days=None):
    deadline_services.create_deadline(
        None, **allocation_clock(referral, start=start, school_days=school_days)
    )


def allocation_clock(referral: Referral, *, start: datetime.date, school_days=None) -> dict:
    """Seed 001: BASS interventions are "allocated within 2 weeks"; each type sets its target.
    A clock stopped for more information starts again with the school days it had left."""
    weeks = referral.referral_type.allocation_target_weeks
    return {
        "kind": KindCode.ALLOCATION,
        "subject": referral,
        "pupil": referral.pupil,
        "school": referral.school,
        "start_date": start,
        "title": f"Allocate {referral.reference} ({referral.referral_type.name})",
        "owner_organisation": referral.service,
        "owner_role": Role.SERVICE_MANAGER,
        "length": school_days if school_days is not None else weeks,
        "counting": Counting.SCHOOL_DAYS if school_days is not None else Counting.SCHOOL_WEEKS,
    }


def _tell_virtual_school(referral: Referral) -> None:
    """Seed 002: the virtual school is told of every referral of a CLA or PLA pupil."""
    if referral.pupil.care_status not in CareStatus.virtual_school_cohort():
        return
    school_authority = (
        referral.school.organisation.local_authority_id
        if referral.school
        else referral.service.local_authority_id
    )
    officers = virtual_school_officers(referral.pupil.looked_after_by_id or school_authority)
    what = "a referral" if referral.sensitive else f"a {referral.referral_type.name} referral"
    deadline_services.notify_people(
        None,
        officers,
        subject=f"Referral of a {referral.pupil.get_care_status_display()} pupil: {referral.pupil}",
        body=f"{referral.school} has made {what} ({referral.reference}) for {referral.pupil}.",
        url="" if referral.sensitive else reverse("referrals:detail", args=[referral.pk]),
    )


def _tell_school(referral: Referral, subject: str, body: str) -> None:
    if referral.created_by:
        deadline_services.notify_people(
            None,
            [referral.created_by],
            subject=f"{referral.reference}: {subject}",
            body=body,
            url=reverse("referrals:detail", args=[referral.pk]),
        )


def _require_screener(actor, referral: Referral) -> None:
    if not can_screen(actor, referral):
        raise DomainError("Only the gateway that received this referral can screen it.")


@service_action
def take_for_screening(actor, referral: Referral) -> Referral:
    """A screener takes a referral from the gateway's shared queue, so that the team can see
    who is dealing with it ("assigned to me"). Taking one someone else has taken is refused
    with their name: two screeners must not screen the same referral at once."""
    locked(referral)
    _require_screener(actor, referral)
    if referral.status not in SCREENING_STATUSES:
        raise DomainError("This referral has already been screened.")
    if referral.screener_id == actor.pk:
        return referral
    if referral.screener_id is not None:
        raise DomainError(f"{referral.screener.full_name} has already taken this referral.")
    referral.screener = actor
    referral.save(update_fields=["screener"])
    return referral


@service_action
def request_more_information(actor, referral: Referral, *, question: str, checklist=None):
    """Send the referral back with a question; the allocation clock stops until the answer."""
    locked(referral)
    _require_screener(actor, referral)
    if not question.strip():
        raise DomainError("Enter what information the school needs to give", field="question")
    _move(referral, Status.MORE_INFORMATION)
    referral.question = question.strip()
    referral.answer = ""
    referral.checklist = checklist or referral.checklist
    referral.save()
    deadline = live_deadline(referral, KindCode.ALLOCATION)
    if deadline is not None:
        today = timezone.localdate()
        left = (
            SchoolCalendar(referral.school, provisional=True).school_days_between(
                today, deadline.due_date
            )
            if referral.school
            else (deadline.due_date - today).days
        )
        referral.checklist = {**referral.checklist, "_clock_days_left": max(left, 0)}
        referral.save(update_fields=["checklist"])
        deadline_services.cancel_deadlines_for(
            None, referral, reason="Clock stopped: more information requested"
        )
    _event(referral, actor, EventKind.MORE_INFORMATION, referral.question)
    _tell_school(referral, "more information needed", referral.question)
    return referral


@service_action
def answer_more_information(actor, referral: Referral, *, answer: str) -> Referral:
    """The school answers the gateway's question: the referral goes back to the gateway's
    queue and the allocation clock starts again with the school days it had left."""
    locked(referral)
    if not _school_staff_at(actor, referral.school):
        raise DomainError("Only staff of the referring school can answer.")
    if not answer.strip():
        raise DomainError("Enter the information asked for", field="answer")
    _move(referral, Status.SUBMITTED)
    referral.answer = answer.strip()
    days_left = referral.checklist.pop("_clock_days_left", None)
    referral.save()
    _event(referral, actor, EventKind.ANSWERED, referral.answer)
    _start_allocation_clock(referral, start=timezone.localdate(), school_days=days_left)
    return referral


@service_action
def accept_referral(actor, referral: Referral, *, service=None, checklist=None) -> Referral:
    """Accept and route to a service (by default the type's). Every item of the completeness
    checklist is ticked, or has the screener's reason for accepting without it."""
    locked(referral)
    _require_screener(actor, referral)
    service = service or referral.service
    if service.kind != OrganisationKind.SERVICE:
        raise DomainError("Choose a service to route the referral to.", field="service")
    _require_same_authority(referral, service)
    if service.code == BOSS_CODE and (
        referral.gateway is None or referral.gateway.code != PRT_CODE
    ):
        raise DomainError("Only the PRT can route a referral to BOSS.", field="service")
    if service.pk != referral.service_id:
        _check_open(referral.pupil, service, exclude=referral)
    checklist = checklist if checklist is not None else referral.checklist
    if referral.status == Status.SUBMITTED:
        _require_checklist(referral, checklist)
    _move(referral, Status.ACCEPTED)
    moved = service.pk != referral.service_id
    referral.service = service
    referral.checklist = checklist or referral.checklist
    referral.decided_at = timezone.now()
    referral.save()
    if moved:
        deadline = live_deadline(referral, KindCode.ALLOCATION)
        if deadline is not None:
            deadline.owner_organisation = service
            deadline.save(update_fields=["owner_organisation"])
    _event(referral, actor, EventKind.ACCEPTED, f"Routed to {service.name}")
    _tell_school(referral, "accepted", f"Accepted and routed to {service.name}.")
    return referral


def _require_checklist(referral: Referral, checklist: dict) -> None:
    """Seed 000: the PRT screens each referral for completeness. An item counts when it is
    ticked (``True``) or when the screener has written why the referral is accepted without
    it (a reason)."""
    for key, label in checklist_items(referral):
        value = checklist.get(key)
        if value is True or (isinstance(value, str) and value.strip()):
            continue
        raise DomainError(
            f"Tick “{label}”, or say why you accept the referral without it",
            field=f"why_{key}",
        )


@service_action
def decline_referral(actor, referral: Referral, *, reason: str, checklist=None) -> Referral:
    """The gateway's decision on a referral waiting for screening. One already accepted, or
    sent back with a question, is not declined by a second screener pressing at the same
    moment: a referral left waiting is closed at the quarterly review (:func:`close_at_review`)."""
    locked(referral)
    _require_screener(actor, referral)
    _require_screening(referral, Status.DECLINED)
    if not reason.strip():
        raise DomainError("Enter the reason the school will read", field="reason")
    _move(referral, Status.DECLINED)
    referral.decision_reason = reason.strip()
    referral.checklist = checklist or referral.checklist
    referral.decided_at = timezone.now()
    referral.save()
    deadline_services.cancel_deadlines_for(None, referral, reason="Referral declined")
    _event(referral, actor, EventKind.DECLINED, referral.decision_reason)
    _tell_school(referral, "declined", referral.decision_reason)
    return referral


@service_action
def redirect_referral(
    actor, referral: Referral, *, redirection: str, note: str, service=None, checklist=None
) -> Referral:
    """Seed 003: staff "should consider whether a PSP, Early help assessment or TAC Meeting is
    the best way forward": the gateway can point the school to one of those, or to another
    service, instead."""
    locked(referral)
    _require_screener(actor, referral)
    if redirection not in Redirection.values:
        raise DomainError("Select where to redirect the referral", field="redirection")
    if redirection == Redirection.ANOTHER_SERVICE and service is None:
        raise DomainError("Choose the service to refer to instead", field="service")
    if service is not None:
        _require_same_authority(referral, service)
    _move(referral, Status.REDIRECTED)
    referral.redirection = redirection
    referral.redirected_to = service if redirection == Redirection.ANOTHER_SERVICE else None
    referral.decision_reason = note.strip()
    referral.checklist = checklist or referral.checklist
    referral.decided_at = timezone.now()
    referral.save()
    deadline_services.cancel_deadlines_for(None, referral, reason="Referral redirected")
    where = Redirection(redirection).label
    if referral.redirected_to:
        where = f"a referral to {referral.redirected_to.name}"
    _event(referral, actor, EventKind.REDIRECTED, f"Suggested {where}. {referral.decision_reason}")
    _tell_school(referral, "redirected", f"Suggested instead: {where}. {referral.decision_reason}")
    return referral


@service_action
def withdraw_referral(actor, referral: Referral, *, reason: str = "") -> Referral:
    locked(referral)
    if not _school_staff_at(actor, referral.school):
        raise DomainError("Only staff of the referring school can withdraw its referral.")
    _move(referral, Status.WITHDRAWN)
    referral.decision_reason = reason.strip()
    referral.save()
    deadline_services.cancel_deadlines_for(None, referral, reason="Referral withdrawn")
    _event(referral, actor, EventKind.WITHDRAWN, referral.decision_reason)
    return referral


@service_action
def mark_allocated(actor, referral: Referral) -> Referral:
    """Called when a case opens from the referral: the allocation deadline is met."""
    locked(referral)
    _move(referral, Status.ALLOCATED)
    referral.save(update_fields=["status"])
    deadline_services.satisfy_deadlines_for(actor, referral, KindCode.ALLOCATION)
    _event(referral, actor, EventKind.ALLOCATED)
    return referral


@service_action
def close_referral(actor, referral: Referral, *, reason: str) -> Referral:
    """The referral's last case episode has closed: the referral is no longer open, so the
    school may refer the pupil to the service again (the reintegration referral too)."""
    locked(referral)
    _move(referral, Status.CLOSED)
    referral.save(update_fields=["status"])
    deadline_services.cancel_deadlines_for(None, referral, reason="Referral closed")
    _event(referral, actor, EventKind.CLOSED, reason)
    return referral


@service_action
def reopen_referral(actor, referral: Referral) -> Referral:
    """A closed case is reopened: its referral is open (allocated) again, unless the pupil
    has been referred to the service again meanwhile."""
    locked(referral)
    _check_open(referral.pupil, referral.service, exclude=referral)
    _move(referral, Status.ALLOCATED)
    referral.save(update_fields=["status"])
    _event(referral, actor, EventKind.REOPENED)
    return referral


@service_action
def create_reintegration_referral(actor, *, pupil: Pupil, school, note: str = "") -> Referral:
    """Seed 000: "Pupils reintegrating back into mainstream education after a permanent
    exclusion will automatically have BOSS support. No referral from the new school is
    required." An accepted BOSS referral, with no form and no gateway."""
    boss = Organisation.objects.get(code=BOSS_CODE, kind=OrganisationKind.SERVICE)
    referral_type = ReferralType.objects.filter(service=boss).order_by("pk").first()
    if referral_type is None:
        raise DomainError("No BOSS referral type is configured.")
    _check_open(pupil, boss)
    now = timezone.now()
    referral = Referral.objects.create(
        referral_type=referral_type,
        pupil=pupil,
        school=school,
        service=boss,
        gateway=None,
        status=Status.ACCEPTED,
        source=Source.REINTEGRATION,
        created_by=actor if getattr(actor, "pk", None) else None,
        submitted_at=now,
        decided_at=now,
        reference=_next_reference(timezone.localdate().year),
        reason=note or "Reintegration into mainstream education after a permanent exclusion.",
    )
    _event(referral, actor, EventKind.CREATED_AUTOMATICALLY, referral.reason)
    _start_allocation_clock(referral, start=timezone.localdate())
    _tell_virtual_school(referral)
    return referral


@service_action
def close_at_review(actor, referral: Referral, *, reason: str) -> Referral:
    """Seed 004: a referral still open at the quarterly review is "closed where possible"."""
    locked(referral)
    _require_screener(actor, referral)
    _move(referral, Status.DECLINED)
    referral.decision_reason = f"Closed at the quarterly review. {reason}".strip()
    referral.decided_at = timezone.now()
    referral.save()
    deadline_services.cancel_deadlines_for(None, referral, reason="Closed at quarterly review")
    _event(referral, actor, EventKind.DECLINED, referral.decision_reason)
    _tell_school(referral, "closed at review", referral.decision_reason)
    return referral


@service_action
def link_psp(actor, referral: Referral, psp) -> Referral:
    """Attach the pupil's Pastoral Support Plan record to the referral (seed 000)."""
    locked(referral)
    _require_editable(referral, "A plan can only be linked before the referral is submitted.")
    if psp.pupil_id != referral.pupil_id:
        raise DomainError("That plan is for another pupil.", field="psp")
    referral.psp = psp
    referral.save(update_fields=["psp"])
    return referral

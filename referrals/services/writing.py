"""The school writes a referral and sends it: start it (or take a parent's, or start the one the
gateway suggested), answer its sections, attach documents, link its Pastoral Support Plan,
submit it."""

import uuid

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind
from accounts.policy import belongs_to
from config.actions import locked, service_action
from config.errors import DomainError
from config.sync import require_new_external_id
from pupils.models import Pupil
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
    Attachment,
    EventKind,
    Question,
    Referral,
    ReferralType,
    Source,
    Status,
)
from referrals.services.common import (
    ANSWER_FIELDS,
    _check_boss_through_prt,
    _check_open,
    _empty,
    _event,
    _move,
    _next_reference,
    _require_editable,
    _school_staff_at,
    _start_allocation_clock,
    _tell_virtual_school,
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
def link_psp(actor, referral: Referral, psp) -> Referral:
    """Attach the pupil's Pastoral Support Plan record to the referral (seed 000)."""
    locked(referral)
    _require_editable(referral, "A plan can only be linked before the referral is submitted.")
    if psp.pupil_id != referral.pupil_id:
        raise DomainError("That plan is for another pupil.", field="psp")
    referral.psp = psp
    referral.save(update_fields=["psp"])
    return referral

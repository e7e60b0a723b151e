"""State changes for schools and pupils. Views, admin actions, commands and tasks call these."""

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind
from accounts.policy import virtual_school_authority, virtual_school_authority_ids
from config.actions import locked, service_action
from config.errors import DomainError
from pupils import events
from pupils.models import (
    IMPORT_TRANSITIONS,
    CareEpisode,
    CareStatus,
    Enrolment,
    ImportFile,
    ImportJob,
    ImportKind,
    ImportStatus,
    Pupil,
    PupilContact,
    School,
    SenEpisode,
    SenStatus,
)

logger = logging.getLogger(__name__)


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
    """Add a pupil with a valid UPN and put them on roll at ``school``. A UPN already recorded
    is refused: the pupil is moved to the school's roll instead (DfE: a UPN stays with the
    pupil throughout their school career)."""
    if Pupil.objects.filter(upn=fields.get("upn", "")).exists():
        raise DomainError(
            "A pupil with this UPN is already recorded. Ask your administrator to move them to "
            "your school's roll",
            field="upn",
            code="upn_recorded",
            conflict=True,
        )
    pupil = Pupil(**fields)
    try:
        pupil.full_clean()
    except ValidationError as invalid:
        raise DomainError.all_of([
            DomainError(message, field=None if name == NON_FIELD_ERRORS else name)
            for name, messages in invalid.message_dict.items() for message in messages
        ]) from invalid  # fmt: skip
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


def _end_the_day_before(episode, start_date: datetime.date, *, change: str, current: str):
    """End the pupil's open care or SEN ``episode`` (if any) the day before a new one starts
    on ``start_date``; a new one starting on or before it is refused in words."""
    if episode is None:
        return
    if start_date <= episode.start_date:
        raise DomainError(
            f"The {change} must start after {episode.start_date:%-d %B %Y}, when the {current} "
            "started.",
            field="start_date",
        )
    episode.end_date = start_date - datetime.timedelta(days=1)
    episode.save(update_fields=["end_date"])


def _open_care_episode(
    pupil: Pupil, status: str, start_date: datetime.date, arrangement: str = ""
) -> None:
    if status != CareStatus.NONE:
        CareEpisode.objects.create(
            pupil=pupil, status=status, start_date=start_date, arrangement=arrangement
        )
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
    arrangement="",
    from_import=False,
) -> Pupil:
    """Close the open care episode the day before ``start_date`` and open the new one.
    ``looked_after_by``: the authority looking after the child, whose virtual school follows
    them to any school (seed 002). ``arrangement``: for a previously looked-after child, the
    order under which they left care. ``from_import``: loaded from a file (who is told)."""
    locked(pupil)
    current = pupil.care_episodes.filter(end_date__isnull=True).first()
    _end_the_day_before(current, start_date, change="new status", current="current one")
    if status != CareStatus.NONE:
        CareEpisode.objects.create(
            pupil=pupil, status=status, start_date=start_date, arrangement=arrangement,
            responsible_authority=responsible_authority,
        )  # fmt: skip
    changed = []
    if pupil.care_status != status:
        pupil.care_status = status
        changed.append("care_status")
    if looked_after_by is not None and pupil.looked_after_by_id != looked_after_by.pk:
        pupil.looked_after_by = looked_after_by
        changed.append("looked_after_by")
    if changed:
        pupil.save(update_fields=changed)
    events.care_status_changed(actor, pupil, status, start_date, from_import=from_import)
    return pupil


@service_action
def record_care_status(
    actor, pupil: Pupil, *, status: str, start_date: datetime.date, arrangement: str = ""
) -> Pupil:
    """The virtual school officer records a child's care status by hand (seed 002: the
    virtual school follows looked-after and previously looked-after children, and promotes the
    education of every child with a social worker, on a child in need or child protection
    plan): looked after by their authority, previously looked after (adopted from care, or
    under a special guardianship or child arrangements order: DfE, "Promoting the education of
    looked-after children and previously looked-after children", 2018, paragraph 6), on a plan,
    or none of these. The looked-after children return does the same for the children it
    names; this is for the rest, and for corrections."""
    from pupils.selectors import pupils_for_care_record

    locked(pupil)
    if not pupils_for_care_record(actor).filter(pk=pupil.pk).exists():
        raise DomainError(
            "Only the virtual school of the authority whose school the child attends, or that "
            "looks after them, records their care status."
        )
    today = timezone.localdate()
    if start_date > today:
        raise DomainError("The date must be today or in the past", field="start_date")
    if start_date < pupil.date_of_birth:
        raise DomainError("The date must be after the child was born", field="start_date")
    if status == CareStatus.PREVIOUSLY_LOOKED_AFTER and not arrangement:
        raise DomainError("Select how the child left care", field="arrangement")
    if status != CareStatus.PREVIOUSLY_LOOKED_AFTER:
        arrangement = ""
    if pupil.care_status == status:
        raise DomainError(
            f"{pupil} is already recorded as {pupil.get_care_status_display().lower()}.",
            field="status", code="already_done", conflict=True,
        )  # fmt: skip
    authority = virtual_school_authority(actor) if status == CareStatus.LOOKED_AFTER else None
    return change_care_status(
        actor, pupil, status=status, start_date=start_date, arrangement=arrangement,
        responsible_authority=authority.name if authority else "", looked_after_by=authority,
    )  # fmt: skip


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
    if current is not None and (current.provision, current.primary_need) == (
        sen_status, primary_need,
    ):  # fmt: skip
        raise DomainError(
            f"{pupil} already has {current.get_provision_display()} with this primary need.",
            field="sen_status", code="already_done", conflict=True,
        )  # fmt: skip
    if current is None and sen_status == SenStatus.NONE and pupil.sen_status == SenStatus.NONE:
        raise DomainError(f"{pupil} has no SEN recorded.", field="sen_status", code="already_done")
    _end_the_day_before(current, start_date, change="change", current="current provision")
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


@dataclass(frozen=True)
class ImportLine:
    """What one child of an import came to: ``created``, ``updated``, ``unchanged``,
    ``to_confirm`` (a person confirms which record it is) or ``refused``, with the line of the
    file and the reason in words. ``pupil_id``: the record it changed; ``candidates`` and
    ``data``: for a match to confirm, the records it may be and what the file says."""

    line: int
    child: str
    upn: str
    outcome: str
    message: str
    pupil_id: int | None = None
    candidates: list = field(default_factory=list)
    data: dict | None = None


@service_action
def import_looked_after_children(
    actor, *, authority, header: bytes, episodes: bytes, progress=None
) -> list[ImportLine]:
    """The virtual school officer loads the authority's looked-after children return (the
    DfE's SSDA903 header and episodes files): each child the return names, matched by UPN,
    comes into the virtual school's cohort (looked after, from the start of their current
    period of care), leaves it, or becomes previously looked after (adoption, special
    guardianship or a child arrangements order), with the authority responsible. The whole
    file is refused, with every problem named, when any row cannot be read; a child who cannot
    be matched is reported and the rest are applied. Loading the same file again changes
    nothing."""
    from pupils import ssda903

    _require_virtual_school_of(actor, authority)
    today = timezone.localdate()
    try:
        children = ssda903.read_return(header, episodes, today=today)
    except ssda903.Refused as refused:
        raise DomainError.all_of([
            DomainError(str(problem), field="header" if problem.file == "header file"
                        else "episodes", code="unreadable_file")
            for problem in refused.problems
        ]) from None  # fmt: skip
    pupils = {p.upn: p for p in Pupil.objects.filter(upn__in={c.upn for c in children})}
    open_episodes = {
        e.pupil_id: e
        for e in CareEpisode.objects.filter(pupil__in=pupils.values(), end_date__isnull=True)
    }
    lines = []
    for done, child in enumerate(children, start=1):
        pupil = pupils.get(child.upn)
        current = open_episodes.get(pupil.pk) if pupil else None
        lines.append(_apply_care(actor, authority, child, pupil, current, today))
        if progress is not None:
            progress(done, len(children))
    return lines


def _apply_care(actor, authority, child, pupil, current, today) -> ImportLine:
    def line(outcome, message):
        return ImportLine(child.line, child.child_id, child.upn, outcome, message)

    if not child.upn or child.upn.startswith("UN"):
        return line("refused", "No UPN: find the child and record their care status by hand.")
    if pupil is None:
        return line("refused", "No pupil with this UPN is on a school's roll here.")
    status, since = child.status_on(today)
    if pupil.care_status == status and (
        status == CareStatus.NONE or (current and current.start_date == since)
    ):
        return line("unchanged", f"{pupil.get_care_status_display()}, as recorded.")
    if status == CareStatus.NONE and pupil.care_status not in CareStatus.virtual_school_cohort():
        return line("unchanged", "Not looked after: the return changes nothing.")
    try:
        change_care_status(
            actor, pupil, status=status, start_date=since or today,
            responsible_authority=authority.name if status != CareStatus.NONE else "",
            looked_after_by=authority if status != CareStatus.NONE else None,
            arrangement=child.arrangement() if status == CareStatus.PREVIOUSLY_LOOKED_AFTER
            else "", from_import=True,
        )  # fmt: skip
    except DomainError as error:
        return line("refused", f"{error.message} Change it by hand if the return is right.")
    return line("updated", f"{pupil.get_care_status_display()} from {since:%-d %B %Y}.")


def _require_virtual_school_of(actor, authority) -> None:
    if authority.pk not in virtual_school_authority_ids(actor):
        raise DomainError("Only the authority's virtual school loads its looked-after return.")


@service_action
def queue_looked_after_import(actor, *, authority, header, episodes) -> ImportJob:
    """Keep the two files of the return with a new import job, and ask the worker to run it
    once committed. A file over ``IMPORT_MAX_BYTES`` is refused before it is read."""
    _require_virtual_school_of(actor, authority)
    problems = [
        problem
        for field, upload in (("header", header), ("episodes", episodes))
        if (problem := _too_large(upload, f"{field} file", field)) is not None
    ]
    if problems:
        raise DomainError.all_of(problems)
    return _new_job(actor, ImportKind.LOOKED_AFTER, authority,
                    {"header": header, "episodes": episodes})  # fmt: skip


def _new_job(actor, kind, authority, uploads: dict) -> ImportJob:
    """A job with its files, handed to the worker once committed."""
    from django.db import transaction

    job = ImportJob.objects.create(kind=kind, authority=authority, started_by=actor)
    for role, upload in uploads.items():
        ImportFile.objects.create(job=job, role=role, name=upload.name[:255], content=upload.read())
    transaction.on_commit(lambda: _queue_import_task(job.pk), robust=True)
    return job


def _too_large(upload, what: str, field: str) -> DomainError | None:
    """A file over ``IMPORT_MAX_BYTES`` is refused by its size, before it is read."""
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    if upload is None:
        return DomainError(f"Choose the {what}", field=field)
    if upload.size > settings.IMPORT_MAX_BYTES:
        limit = filesizeformat(settings.IMPORT_MAX_BYTES)
        return DomainError(f"The {what} must be smaller than {limit}", field=field)
    return None


@service_action
def queue_transfer_file(actor, *, authority, upload, school=None) -> ImportJob:
    """Keep a Common Transfer File with a new import job for the worker to apply. ``school``:
    the school a school's system sends it for (the file must come from it)."""
    from pupils.transfers import require_transfer_importer

    require_transfer_importer(actor, authority, school)
    problem = _too_large(upload, "Common Transfer File", "file")
    if problem is not None:
        raise problem
    return _new_job(actor, ImportKind.TRANSFER_FILE, authority, {"ctf": upload})


def _queue_import_task(job_id: int) -> None:
    from django.conf import settings

    from pupils.tasks import run_import_task

    run_import_task.apply_async(args=[job_id], queue=settings.IMPORT_TASK_QUEUE or None,
                                retry=False)  # fmt: skip


PROGRESS_KEY = "import-progress:{}"


def import_progress(job: ImportJob) -> tuple[int, int]:
    """(children done, children in the file) of a running import, from the worker's count."""
    from django.core.cache import cache

    if job.status != ImportStatus.RUNNING:  # a count left by another job of the same id
        return (job.total, job.total) if job.finished else (0, job.total)
    return tuple(cache.get(PROGRESS_KEY.format(job.pk)) or (0, job.total))


def run_import(job_id: int) -> ImportJob:
    """The worker runs an import job: the whole file in one transaction (a refusal or an error
    changes nothing), its progress counted in the cache for the page to show, its report kept.
    A job already started is left alone: the task may be delivered twice."""
    from django.core.cache import cache
    from django.db import transaction

    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if ImportStatus.RUNNING not in IMPORT_TRANSITIONS[job.status]:
            return job
        job.status = ImportStatus.RUNNING
        job.save(update_fields=["status"])
    files = {f.role: bytes(f.content) for f in job.files.all()}

    def progress(done, total):
        cache.set(PROGRESS_KEY.format(job.pk), (done, total), 3600)

    try:
        if job.kind == ImportKind.TRANSFER_FILE:
            from pupils.transfers import import_transfer_file

            lines = import_transfer_file(job.started_by, authority=job.authority,
                                         data=files["ctf"], progress=progress)  # fmt: skip
        else:
            lines = import_looked_after_children(
                job.started_by, authority=job.authority, header=files["header"],
                episodes=files["episodes"], progress=progress,
            )  # fmt: skip
    except DomainError as refused:
        job.status, job.problems = ImportStatus.REFUSED, [e.message for e in refused.every]
    except Exception:
        logger.exception("Import %s stopped", job.pk)
        job.status = ImportStatus.FAILED
        job.problems = ["The import stopped with an error of ours: nothing was changed. "
                        "Try again; if it happens again, tell the service desk."]  # fmt: skip
    else:
        job.status, job.report = ImportStatus.DONE, [vars(line) for line in lines]
        job.total = len(lines)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "problems", "report", "total", "finished_at"])
    cache.delete(PROGRESS_KEY.format(job.pk))
    return job


def purge_import_files(now=None) -> int:
    """Forget the files of imports finished more than ``IMPORT_KEEP_DAYS`` ago (30 by
    default): they hold every pupil's details, and the report says what became of each. A
    match still to be confirmed then waits for the file to be loaded again. Returns how many
    files were deleted."""
    import datetime

    from django.conf import settings

    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.IMPORT_KEEP_DAYS)
    deleted, _ = ImportFile.objects.filter(job__finished_at__lt=cutoff).delete()
    return deleted

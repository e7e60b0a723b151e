"""Pupil data entered once: a Common Transfer File (``pupils.ctf`` reads it) creates and
updates the authority's pupils. Each pupil of the file is matched by UPN, then by former UPN;
one whose names and date of birth only match a record is kept for a person to confirm; the rest
are created. Nothing a person recorded after the file was made is overwritten without the
report saying so. The whole file is applied in one transaction or not at all."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Organisation, OrganisationKind
from config.actions import locked, service_action
from config.errors import DomainError
from pupils import ctf
from pupils.models import (
    CareEpisode,
    CareStatus,
    Enrolment,
    ImportJob,
    Pupil,
    School,
    SenEpisode,
    SenSource,
    SenStatus,
)
from pupils.services import ImportLine, change_care_status

CANDIDATE_BATCH = 300


def pupil_premium(pupil: ctf.TransferPupil, made_on: datetime.date, care_status: str) -> bool:
    """Pupil premium (DfE, "Pupil premium: conditions of grant"): a pupil recorded as eligible
    for free school meals at any time in the last six years ("Ever 6 FSM"), and every looked-
    after or previously looked-after child (pupil premium plus)."""
    from dateutil.relativedelta import relativedelta

    six_years_ago = made_on - relativedelta(years=6)
    cared_for = care_status in CareStatus.virtual_school_cohort()
    return pupil.free_meals_since(six_years_ago) or cared_for


def _schools_list() -> dict[str, School]:
    return {
        f"{s.organisation.local_authority.la_number}/{s.establishment_number}": s
        for s in School.objects.select_related("organisation__local_authority")
    }


def require_transfer_importer(actor, authority, school=None) -> None:
    """An LA administrator of the authority loads a CTF from any of its schools; a school's
    system account sends its own school's through the API."""
    from accounts.policy import administered_authority_ids, school_staff_organisations

    if authority.pk in administered_authority_ids(actor):
        return
    if (
        getattr(actor, "is_system_account", False)
        and school is not None
        and any(o.pk == school.organisation_id for o in school_staff_organisations(actor))
    ):
        return
    raise DomainError(
        "Only the authority's administrators, or the school's own system, load a "
        "Common Transfer File."
    )


@service_action
def import_transfer_file(actor, *, authority, data: bytes, progress=None) -> list[ImportLine]:
    """Apply a Common Transfer File (school to LA, or an XML data transfer) to the
    authority's pupils. A file with any problem is refused whole with every problem named;
    loading the same file again changes nothing."""
    today = timezone.localdate()
    schools = _schools_list()
    try:
        header, pupils = ctf.read_transfer_file(data, today=today, schools=set(schools))
    except ctf.Refused as refused:
        raise DomainError.all_of(
            [
                DomainError(str(problem), field="file", code="unreadable_file")
                for problem in refused.problems
            ]
        ) from None
    source = schools[header.source.dfe_number]
    require_transfer_importer(actor, authority, source)
    if header.destination_la != authority.la_number:
        raise DomainError(
            f"This file is for authority {header.destination_la}, not {authority.name} "
            f"({authority.la_number}): send it to that authority.",
            field="file",
        )
    context = _Context(actor, authority, header, schools, source, today)
    matched = _match(pupils, authority)
    records = _locked({record.pk for record, _, _ in matched.values() if record is not None})
    lines: list[ImportLine] = []
    new: list[ctf.TransferPupil] = []
    first_line: dict[int, int] = {}
    for done, pupil in enumerate(pupils, start=1):
        record, candidates, note = matched[pupil.upn]
        if record is not None and record.pk in first_line:
            lines.append(ImportLine(
                pupil.line, pupil.name, pupil.upn, "refused",
                f"The pupil on line {first_line[record.pk]} is the same record ({record.upn}): "
                "check the two UPNs with the school.",
            ))  # fmt: skip
        elif record is not None:
            first_line[record.pk] = pupil.line
            lines.append(context.update(pupil, records[record.pk], note))
        elif candidates:
            lines.append(
                ImportLine(
                    pupil.line,
                    pupil.name,
                    pupil.upn,
                    "to_confirm",
                    "A record has the same names and date of birth but another UPN: confirm "
                    "whether it is this pupil.",
                    candidates=[c.pk for c in candidates],
                    data=pupil.as_json(),
                )
            )
        else:
            new.append(pupil)
        if progress is not None and done % 50 == 0:
            progress(done - len(new), len(pupils))
    context.flush()
    lines.extend(context.create(new))
    if progress is not None:
        progress(len(pupils), len(pupils))
    return sorted(lines, key=lambda line: line.line)


def _locked(ids) -> dict[int, Pupil]:
    """The records a file updates, locked to the end of the import (in order of id, as every
    service locks), each with its enrolments and SEN periods: one read for a thousand."""
    records = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 1000):
        chunk = (
            Pupil.objects.select_for_update(of=("self",))
            .filter(pk__in=ordered[start : start + 1000])
            .order_by("pk")
            .prefetch_related("enrolments", "sen_episodes")
        )
        records.update((record.pk, record) for record in chunk)
    return records


def _match(pupils, authority) -> dict[str, tuple]:
    """For each pupil of the file: (the record it is, or None; the records it may be; a
    note). By UPN, then by former UPN; else records of a pupil who is or was on roll at one of
    the authority's schools with the same legal names and date of birth."""
    upns = {p.upn for p in pupils} | {p.former_upn for p in pupils if p.former_upn}
    by_upn = {
        p.upn: p.merged_into or p
        for p in Pupil.objects.filter(upn__in=upns).select_related("merged_into")
    }
    found, unmatched = {}, []
    for pupil in pupils:
        record, note = by_upn.get(pupil.upn), ""
        former = by_upn.get(pupil.former_upn) if pupil.former_upn else None
        if record is None and former is not None:
            record, note = former, f"Matched by former UPN {pupil.former_upn}."
        elif record is not None and former is not None and former.pk != record.pk:
            note = (
                f"Another record, {former}, has the former UPN {pupil.former_upn}: merge "
                "the two records."
            )
        found[pupil.upn] = (record, [], note)
        if record is None:
            unmatched.append(pupil)
    ours = Enrolment.objects.filter(
        pupil=OuterRef("pk"), school__organisation__local_authority=authority
    )
    for start in range(0, len(unmatched), CANDIDATE_BATCH):
        batch = unmatched[start : start + CANDIDATE_BATCH]
        names = Q()
        for pupil in batch:
            names |= Q(
                date_of_birth=pupil.date_of_birth,
                legal_last_name__iexact=pupil.surname,
                legal_first_name__iexact=pupil.forename,
            )
        candidates = {}
        for record in Pupil.objects.filter(names, merged_into__isnull=True).filter(Exists(ours)):
            key = (
                record.date_of_birth,
                record.legal_last_name.lower(),
                record.legal_first_name.lower(),
            )
            candidates.setdefault(key, []).append(record)
        for pupil in batch:
            key = (pupil.date_of_birth, pupil.surname.lower(), pupil.forename.lower())
            found[pupil.upn] = (None, candidates.get(key, []), "")
    return found


class _Context:
    """What every pupil of one file is applied with."""

    def __init__(self, actor, authority, header, schools, source, today):
        self.actor, self.authority, self.header = actor, authority, header
        self.schools, self.source, self.today = schools, source, today
        self.made_on = header.made_at.date()
        self.made_at = header.made_at
        if timezone.is_naive(self.made_at):
            self.made_at = timezone.make_aware(self.made_at)
        self.pending_enrolments, self.pending_sen = [], []
        self.authorities = {
            o.la_number: o
            for o in Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY)
        }

    def line(self, pupil, outcome, message, record=None):
        return ImportLine(
            pupil.line,
            pupil.name,
            pupil.upn,
            outcome,
            message,
            pupil_id=record.pk if record else None,
        )

    # Creating -------------------------------------------------------------------------------

    def create(self, pupils: list[ctf.TransferPupil]) -> list[ImportLine]:
        """New records, made together: a pupil, their enrolments, SEN history and care."""
        records = Pupil.objects.bulk_create([self._new_record(p) for p in pupils])
        enrolments, sen, care = [], [], []
        for pupil, record in zip(pupils, records, strict=True):
            enrolments += self._enrolments(pupil, record, existing=[])
            sen += self._sen_history(pupil, record)
            if pupil.in_care:
                care.append(
                    CareEpisode(
                        pupil=record,
                        status=CareStatus.LOOKED_AFTER,
                        start_date=self.made_on,
                        responsible_authority=self._care_authority(pupil).name,
                    )
                )
        Enrolment.objects.bulk_create(enrolments)
        SenEpisode.objects.bulk_create(sen)
        CareEpisode.objects.bulk_create(care)
        return [
            self.line(p, "created", f"New record, on roll at {self.source.name}.", record)
            for p, record in zip(pupils, records, strict=True)
        ]

    def _new_record(self, pupil) -> Pupil:
        current_sen = self._current_sen(pupil)
        status = CareStatus.LOOKED_AFTER if pupil.in_care else CareStatus.NONE
        return Pupil(
            upn=pupil.upn,
            legal_first_name=pupil.forename,
            legal_last_name=pupil.surname,
            preferred_first_name=pupil.preferred_forename,
            preferred_last_name=pupil.preferred_surname,
            date_of_birth=pupil.date_of_birth,
            gender=pupil.sex,
            care_status=status,
            looked_after_by=self._care_authority(pupil) if pupil.in_care else None,
            sen_status=current_sen.provision if current_sen else SenStatus.NONE,
            sen_primary_need=(pupil.primary_need or "OTH") if current_sen else "",
            pupil_premium=pupil_premium(pupil, self.made_on, status),
        )

    def _care_authority(self, pupil):
        """The authority looking after the child, by the LA number the file gives (this one
        when it gives none, or its own)."""
        if pupil.care_authority in {"", self.authority.la_number}:
            return self.authority
        return self.authorities.get(pupil.care_authority, self.authority)

    @staticmethod
    def _current_sen(pupil):
        latest = pupil.sen[-1] if pupil.sen else None
        if latest is None or latest.provision == SenStatus.NONE or latest.end:
            return None
        return latest

    def _sen_history(self, pupil, record) -> list[SenEpisode]:
        """The file's SEN history as episodes: each provision until the next began."""
        episodes = []
        entries = pupil.sen
        for index, entry in enumerate(entries):
            following = entries[index + 1].start if index + 1 < len(entries) else None
            end = entry.end or (following - datetime.timedelta(days=1) if following else None)
            if entry.provision == SenStatus.NONE or (end and end < entry.start):
                continue
            episodes.append(
                SenEpisode(
                    pupil=record,
                    provision=entry.provision,
                    start_date=entry.start,
                    end_date=end,
                    primary_need=pupil.primary_need if end is None else "",
                    source=SenSource.TRANSFER_FILE,
                )
            )
        return episodes

    def _enrolments(self, pupil, record, existing) -> list[Enrolment]:
        """The source school (from its entry date in the school history, else the file's
        date) and every earlier school on the schools list, each once."""
        have = {(e.school_id, e.start_date) for e in existing}
        current = {e.school_id for e in existing if e.end_date is None}
        made = []
        history = list(pupil.schools)
        if not any(s.dfe_number == self.header.source.dfe_number for s in history):
            history.append(
                ctf.School(self.header.source.la, self.header.source.estab, "", self.made_on, None)
            )
        for entry in history:
            school = self.schools.get(entry.dfe_number)
            start = entry.entry or (self.made_on if school == self.source else None)
            if school is None or start is None or (school.pk, start) in have:
                continue
            leaving = entry.leaving if entry.leaving and entry.leaving >= start else None
            if leaving is None and school.pk in current:
                continue
            made.append(Enrolment(pupil=record, school=school, start_date=start, end_date=leaving))
            have.add((school.pk, start))
            if leaving is None:
                current.add(school.pk)
        return made

    # Updating -------------------------------------------------------------------------------

    def update(self, pupil, record, note) -> ImportLine:
        """Bring ``record`` (locked, its enrolments and SEN periods read with it) into line
        with the file; new rows wait for :meth:`flush`."""
        later = record.updated_at > self.made_at
        changed, kept, dirty = [], [], []
        fields = {
            "upn": pupil.upn,
            "legal_first_name": pupil.forename,
            "legal_last_name": pupil.surname,
            "preferred_first_name": pupil.preferred_forename,
            "preferred_last_name": pupil.preferred_surname,
            "date_of_birth": pupil.date_of_birth,
            "gender": pupil.sex,
            "pupil_premium": pupil_premium(pupil, self.made_on, record.care_status),
        }
        for name, value in fields.items():
            if getattr(record, name) == value:
                continue
            label = Pupil._meta.get_field(name).verbose_name
            if later and name != "upn":
                kept.append(
                    f"{label} (recorded here on {record.updated_at:%-d %B %Y}, after "
                    f"the file was made on {self.made_on:%-d %B %Y}; the file says "
                    f"{_words(value)})"
                )
                continue
            setattr(record, name, value)
            changed.append(label)
            dirty.append(name)
        enrolments = self._enrolments(pupil, record, list(record.enrolments.all()))
        if enrolments:
            self.pending_enrolments += enrolments
            changed.append("school history")
        dirty += self._update_sen(pupil, record, changed, kept)
        if dirty:
            record.save(update_fields=dirty)
        self._update_care(pupil, record, changed, kept)
        message = " ".join(filter(None, [
            note,
            f"Changed: {', '.join(changed)}." if changed else "",
            f"Kept as recorded here: {'; '.join(kept)}." if kept else "",
        ]))  # fmt: skip
        if changed:
            return self.line(pupil, "updated", message, record)
        return self.line(pupil, "unchanged", message or "As recorded.", record)

    def flush(self) -> None:
        """Write the enrolments and SEN periods the updates made, together."""
        Enrolment.objects.bulk_create(self.pending_enrolments)
        SenEpisode.objects.bulk_create(self.pending_sen)
        self.pending_enrolments, self.pending_sen = [], []

    def _update_sen(self, pupil, record, changed, kept) -> list[str]:
        """The file's SEN: its whole history for a record with none; else its current
        provision, unless what is recorded here started later. The fields of ``record`` it
        changed (saved by the caller)."""
        episodes = list(record.sen_episodes.all())
        if not episodes:
            history = self._sen_history(pupil, record)
            if not history:
                return []
            self.pending_sen += history
            changed.append("SEN history")
            return self._set_sen(record, self._current_sen(pupil), pupil)
        current = self._current_sen(pupil)
        provision = current.provision if current else SenStatus.NONE
        if provision == record.sen_status:
            return []
        open_episode = next((e for e in episodes if e.end_date is None), None)
        since = current.start if current else (pupil.sen[-1].end or pupil.sen[-1].start
                                               if pupil.sen else None)  # fmt: skip
        if since is None:
            return []
        if open_episode is not None and open_episode.start_date >= since:
            kept.append(f"SEN ({record.get_sen_status_display()} from "
                        f"{open_episode.start_date:%-d %B %Y}, later than the file's)")  # fmt: skip
            return []
        if open_episode is not None:
            open_episode.end_date = since - datetime.timedelta(days=1)
            open_episode.save(update_fields=["end_date"])
        if current is not None:
            self.pending_sen.append(SenEpisode(
                pupil=record, provision=provision, start_date=since,
                primary_need=pupil.primary_need, source=SenSource.TRANSFER_FILE,
            ))  # fmt: skip
        changed.append("SEN")
        return self._set_sen(record, current, pupil)

    @staticmethod
    def _set_sen(record, current, pupil) -> list[str]:
        record.sen_status = current.provision if current else SenStatus.NONE
        record.sen_primary_need = (pupil.primary_need or "OTH") if current else ""
        return ["sen_status", "sen_primary_need"]

    def _update_care(self, pupil, record, changed, kept) -> None:
        """The school's looked-after flag brings a child into care from the file's date when
        nothing says otherwise; it never takes one out of care: the virtual school's return,
        or its officer, records that."""
        if pupil.in_care is None or pupil.in_care == record.is_looked_after:
            return
        if not pupil.in_care:
            kept.append(
                "looked after (the file says not; the virtual school records when a "
                "child leaves care)"
            )
            return
        latest = record.care_episodes.order_by("-start_date").first()
        if latest is not None and latest.start_date >= self.made_on:
            kept.append(
                f"care status ({record.get_care_status_display()} from "
                f"{latest.start_date:%-d %B %Y}, later than the file's)"
            )
            return
        authority = self._care_authority(pupil)
        change_care_status(
            self.actor,
            record,
            status=CareStatus.LOOKED_AFTER,
            start_date=self.made_on,
            responsible_authority=authority.name,
            looked_after_by=authority,
        )
        changed.append("looked after")


def _words(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    return str(value) or "nothing"


@service_action
def confirm_transfer_match(actor, job: ImportJob, *, line: int, pupil_id: int | None):
    """A person confirms a pupil of a transfer file whose names and date of birth matched a
    record but whose UPN did not: it is that record (updated from the file), or a new pupil."""
    from pupils.models import ImportFile

    locked(job)
    entry = next((e for e in job.report if e["line"] == line), None)
    if entry is None or entry["outcome"] != "to_confirm":
        raise DomainError(
            "This pupil has already been matched.", code="already_done", conflict=True
        )
    if pupil_id is not None and pupil_id not in entry["candidates"]:
        raise DomainError("Choose one of the records offered", field="pupil")
    require_transfer_importer(actor, job.authority)
    kept = ImportFile.objects.filter(job=job, role="ctf").first()
    if kept is None:
        raise DomainError("This file was loaded more than a month ago and is no longer kept: "
                          "load it again to match this pupil.")  # fmt: skip
    schools = _schools_list()
    header, _ = ctf.read_transfer_file(
        bytes(kept.content), today=timezone.localdate(), schools=set(schools)
    )
    context = _Context(
        actor,
        job.authority,
        header,
        schools,
        schools[header.source.dfe_number],
        timezone.localdate(),
    )
    pupil = ctf.TransferPupil.from_json(entry["data"])
    if pupil_id is None:
        if Pupil.objects.filter(upn=pupil.upn).exists():
            raise DomainError(f"A record with UPN {pupil.upn} now exists: load the file again.")
        result = context.create([pupil])[0]
    else:
        record = _locked([pupil_id])[pupil_id]
        result = context.update(pupil, record, "Confirmed by a person.")
        context.flush()
    who = getattr(actor, "full_name", "") or str(actor)
    entry.update(
        outcome=result.outcome,
        pupil_id=result.pupil_id,
        candidates=[],
        data=None,
        message=f"{result.message} Matched by {who}.",
    )
    job.save(update_fields=["report"])
    return job

"""Two records of one child (typed twice before a transfer file came, say) made one by an LA
administrator: every referral, case, plan, exclusion, deadline, enrolment, care and SEN
period, contact, access-log row and history row of the duplicate follows the kept record. The
merge is in the history and can be undone for 30 days."""

import datetime

from django.apps import apps
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone

from config.actions import locked, service_action
from config.errors import DomainError
from pupils.models import Enrolment, Pupil, PupilMerge

UNDO_DAYS = 30
MOST_GROUPS = 1000
# Rows of the merged record that stay with it where the kept record has its own: the kept
# record's current enrolment at the same school, its open care or SEN period.
ONE_OPEN = {"pupils.CareEpisode", "pupils.SenEpisode"}


def _pupil_links():
    """(model, field name) of every row that names a pupil, histories included (a pupil's own
    history stays with its record)."""
    for field in Pupil._meta.get_fields(include_hidden=True):
        if field.auto_created and not field.concrete and field.related_model is not Pupil:
            if field.related_model is PupilMerge or field.remote_field.name in {
                "pgh_obj",
                "merged_into",
            }:
                continue
            yield field.related_model, field.remote_field.name


def merge_candidates(user):
    """Groups of records of pupils of the authority's schools with the same legal names and
    date of birth: each group may be one child recorded more than once."""
    from pupils.access import subject_access_pupils

    groups = (
        subject_access_pupils(user)
        .filter(merged_into__isnull=True)
        .values("date_of_birth", last=Lower("legal_last_name"), first=Lower("legal_first_name"))
        .annotate(records=Count("pk"))
        .filter(records__gt=1)
        .order_by("last", "first", "date_of_birth")
    )
    return groups


def records_of(user, group) -> list[Pupil]:
    from pupils.access import subject_access_pupils

    return list(
        subject_access_pupils(user)
        .filter(
            merged_into__isnull=True,
            date_of_birth=group["date_of_birth"],
            legal_last_name__iexact=group["last"],
            legal_first_name__iexact=group["first"],
        )
        .order_by("pk")
    )


def _require_admin_of(actor, *pupils) -> None:
    from pupils.access import subject_access_pupils

    mine = subject_access_pupils(actor).filter(pk__in=[p.pk for p in pupils]).count()
    if mine != len(pupils):
        raise DomainError("Only an administrator of the authority whose schools the pupil "
                          "attends or attended merges their records.")  # fmt: skip


@service_action
def merge_pupils(actor, kept: Pupil, merged: Pupil) -> PupilMerge:
    """Make ``merged`` part of ``kept``. Refused where both have an open referral to the same
    service (the gateway would hold two at once for one child: one is withdrawn or closed
    first)."""
    if kept.pk == merged.pk:
        raise DomainError("Choose two different records", field="kept")
    for pupil in sorted([kept, merged], key=lambda p: p.pk):
        locked(pupil)
    _require_admin_of(actor, kept, merged)
    if kept.merged_into_id or merged.merged_into_id:
        raise DomainError("One of these records has already been merged: look again.",
                          code="already_done", conflict=True)  # fmt: skip
    for check in _checks:
        check(kept, merged)
    moved, ended = {}, []
    today = timezone.localdate()
    for model, field in _pupil_links():
        rows = model._base_manager.filter(**{field: merged})
        label = model._meta.label
        if model is Enrolment:
            theirs = set(
                Enrolment.objects.current().filter(pupil=kept).values_list("school_id", flat=True)
            )
            clash = rows.filter(end_date__isnull=True, school_id__in=theirs)
            for enrolment in clash:
                ended.append(enrolment.pk)
                enrolment.end_date = max(today, enrolment.start_date)
                enrolment.save(update_fields=["end_date"])
            rows = rows.exclude(pk__in=ended)
        if (
            label in ONE_OPEN
            and model._base_manager.filter(pupil=kept, end_date__isnull=True).exists()
        ):
            rows = rows.exclude(end_date__isnull=True)
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            model._base_manager.filter(pk__in=ids).update(**{field: kept})
            moved[label] = ids
    merged.merged_into = kept
    merged.save(update_fields=["merged_into"])
    return PupilMerge.objects.create(
        kept=kept, merged=merged, moved=moved, ended=ended, merged_by=actor
    )


def summary(pupil: Pupil) -> list[tuple[str, int]]:
    """How many records of each kind name the pupil, in words, for the page that compares two."""
    counted = []
    for model, field in _pupil_links():
        if model._meta.label.endswith("Event") or model._meta.label == "audit.AccessLog":
            continue
        count = model._base_manager.filter(**{field: pupil}).count()
        if count:
            counted.append((str(model._meta.verbose_name_plural).capitalize(), count))
    return counted


_checks = []


def register_check(check):
    """``check(kept, merged)`` raises a ``DomainError`` when the two records cannot be one yet
    (an app above this one knows why: referrals, that both have an open one to a service)."""
    _checks.append(check)
    return check


def may_undo(merge: PupilMerge) -> bool:
    return merge.undone_at is None and timezone.now() - merge.merged_at <= datetime.timedelta(
        days=UNDO_DAYS
    )


@service_action
def undo_merge(actor, merge: PupilMerge) -> PupilMerge:
    """Within 30 days of a merge, the two records are apart again: each row moved goes back,
    an enrolment the merge ended is current again."""
    locked(merge)
    if merge.undone_at is not None:
        raise DomainError("This merge has already been undone.", code="already_done",
                          conflict=True)  # fmt: skip
    if not may_undo(merge):
        raise DomainError(f"A merge can be undone for {UNDO_DAYS} days only.")
    _require_admin_of(actor, merge.kept)
    for label, ids in merge.moved.items():
        model = apps.get_model(label)
        field = next(f for m, f in _pupil_links() if m is model)
        model._base_manager.filter(pk__in=ids).update(**{field: merge.merged})
    Enrolment.objects.filter(pk__in=merge.ended).update(end_date=None)
    merged = locked(merge.merged)
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    return merge

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.models import Role
from accounts.policy import (
    RoleMayNotAct,
    active_memberships,
    administers_any_authority,
    virtual_school_authority_ids,
)
from audit.reads import note_read
from config.pages import form_page, posted
from config.pagination import Paginator, query_without_page
from pupils.forms import LookedAfterReturnForm, PupilSearchForm, SenStatusForm
from pupils.models import CareStatus, Pupil, School
from pupils.search import search_pupils
from pupils.timeline import timeline_for, timeline_html

PAGE_SIZE = 25


def pupil_search(request):
    form = PupilSearchForm(data=request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        results = search_pupils(
            Pupil.objects.visible_to(request.user),
            text=form.cleaned_data["q"],
            date_of_birth=form.cleaned_data["date_of_birth"],
        )
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        pupils = list(page.object_list)
        _attach_current_schools(pupils)
        note_read(request, pupils, "pupil search results")
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "pupils/search.html",
        {"form": form, "page": page, "query": query_without_page(request)},
        status=status,
    )


COHORTS = {
    "looked-after": CareStatus.LOOKED_AFTER,
    "previously-looked-after": CareStatus.PREVIOUSLY_LOOKED_AFTER,
}


def cohort(request, which):
    """Seed 002: the virtual school's looked-after (CLA) or previously looked-after (PLA)
    children, each with their suspensions and exclusions, part-time timetables, open cases
    and last PEP meeting."""
    from django.http import Http404

    from pupils import cohort as cohort_columns

    if which not in COHORTS or not any(
        m.role == Role.VIRTUAL_SCHOOL_OFFICER for m in active_memberships(request.user)
    ):
        raise Http404
    status = CareStatus(COHORTS[which])
    pupils = cohort_columns.annotate(
        Pupil.objects.visible_to(request.user).filter(care_status=status),
        request.user,
    ).order_by("legal_last_name", "legal_first_name", "pk")
    page = Paginator(pupils, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _attach_current_schools(rows)
    for pupil in rows:
        pupil.cohort_values = cohort_columns.values(pupil)
    note_read(request, rows, "virtual school cohort")
    return render(
        request,
        "pupils/cohort.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "columns": cohort_columns.columns(),
            "query": query_without_page(request),
        },
    )


def _attach_current_schools(pupils):
    """One query for the schools of a page of pupils, so the list costs the same for any size."""
    from pupils.models import Enrolment

    by_pupil = {}
    for enrolment in Enrolment.objects.current().filter(pupil__in=pupils).select_related("school"):
        by_pupil.setdefault(enrolment.pupil_id, []).append(enrolment.school)
    for pupil in pupils:
        pupil.current_schools = by_pupil.get(pupil.pk, [])


def pupil_detail(request, pk):
    pupil = get_object_or_404(Pupil.objects.visible_to(request.user), pk=pk)
    note_read(request, [pupil], "pupil summary")
    enrolments = pupil.enrolments.select_related("school").order_by("-start_date")
    timeline = timeline_for(request.user, pupil)
    return render(
        request,
        "pupils/detail.html",
        {
            "pupil": pupil,
            "enrolments": enrolments,
            "care_episodes": pupil.care_episodes.all(),
            "contacts": pupil.contacts.all(),
            "has_social_worker": pupil.care_status in CareStatus.with_social_worker(),
            "timeline": timeline,
            "timeline_html": timeline_html(timeline, with_time=True),
            "can_start_plans": _on_roll_at_users_school(request, pupil),
            "sen_episodes": pupil.sen_episodes.all(),
            "can_record_care": _records_care_of(request, pupil),
        },
    )


def _records_care_of(request, pupil) -> bool:
    from pupils.selectors import pupils_for_care_record

    membership = request.membership
    return (
        membership is not None
        and membership.role == Role.VIRTUAL_SCHOOL_OFFICER
        and pupils_for_care_record(request.user).filter(pk=pupil.pk).exists()
    )


def _on_roll_at_users_school(request, pupil) -> bool:
    membership = request.membership
    return (
        membership is not None
        and membership.role == Role.SCHOOL_STAFF
        and pupil.enrolments.filter(
            school__organisation=membership.organisation, end_date__isnull=True
        ).exists()
    )


def record_sen(request, pk):
    """The pupil's school records or corrects their SEN support or EHC plan; the gateway and
    the services see it wherever the pupil shows."""
    from pupils import services

    pupil = get_object_or_404(Pupil.objects.visible_to(request.user), pk=pk)
    if not _on_roll_at_users_school(request, pupil):
        raise RoleMayNotAct
    initial = {"sen_status": pupil.sen_status, "primary_need": pupil.sen_primary_need}
    return form_page(
        request,
        SenStatusForm(data=posted(request), initial=initial),
        template="pupils/sen.html",
        context={"pupil": pupil},
        save=lambda data: services.record_sen_status(
            request.user,
            pupil,
            sen_status=data["sen_status"],
            primary_need=data["primary_need"],
            start_date=data["start_date"],
        ),
        done=reverse("pupils:detail", args=[pupil.pk]),
        message=f"{pupil}'s special educational needs are recorded",
    )


def find_child_for_care(request):
    """The virtual school officer finds a child on roll at one of the authority's schools, or
    looked after by it, to record their care status (a child outside the cohort is found by
    UPN and date of birth together, never by browsing)."""
    from django.shortcuts import redirect

    from pupils.forms import FindChildForm
    from pupils.selectors import pupils_for_care_record

    if not virtual_school_authority_ids(request.user):
        raise RoleMayNotAct
    form = FindChildForm(data=request.GET or None)
    if form.is_bound and form.is_valid():
        pupil = (
            pupils_for_care_record(request.user)
            .filter(upn=form.cleaned_data["upn"], date_of_birth=form.cleaned_data["date_of_birth"])
            .first()
        )
        if pupil is not None:
            return redirect("pupils:record-care", pk=pupil.pk)
        form.add_error(
            "upn",
            "No child with this UPN and date of birth is on roll at a school of the authority "
            "or looked after by it: check both",
        )
    return render(
        request, "pupils/find_for_care.html", {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )  # fmt: skip


def record_care(request, pk):
    """The virtual school officer records that a child has come into care, left it, is
    previously looked after, or is on a child in need or child protection plan."""
    from pupils import services
    from pupils.forms import CareStatusForm
    from pupils.selectors import pupils_for_care_record

    if not virtual_school_authority_ids(request.user):
        raise RoleMayNotAct
    pupil = get_object_or_404(pupils_for_care_record(request.user), pk=pk)
    note_read(request, [pupil], "care status record")
    return form_page(
        request,
        CareStatusForm(data=posted(request), initial={"status": pupil.care_status}),
        template="pupils/care.html",
        context={"pupil": pupil, "care_episodes": pupil.care_episodes.all()},
        save=lambda data: services.record_care_status(
            request.user,
            pupil,
            status=data["status"],
            start_date=data["start_date"],
            arrangement=data["arrangement"],
        ),
        done=reverse("pupils:find-for-care"),
        message=lambda p: f"{p}'s care status is recorded: {p.get_care_status_display().lower()}",
    )


def school_list(request):
    schools = (
        School.objects.visible_to(request.user)
        .select_related("organisation__local_authority")
        .order_by("name")
    )
    phase = request.GET.get("phase", "")
    if phase:
        schools = schools.filter(phase=phase)
    is_admin = administers_any_authority(request.user)
    return render(
        request,
        "pupils/school_list.html",
        {
            "schools": schools,
            "phase": phase,
            "phases": School._meta.get_field("phase").choices,
            "is_admin": is_admin,
        },
    )


def _visible_imports(request):
    """The imports the user may read: their authority's virtual school's returns, or (for an
    LA administrator) its Common Transfer Files; 403 for any other role, before a record is
    looked at."""
    from accounts.policy import administered_authority_ids
    from pupils.models import ImportJob

    if not virtual_school_authority_ids(request.user) and not administered_authority_ids(
        request.user
    ):
        raise RoleMayNotAct
    return ImportJob.objects.visible_to(request.user)


def import_looked_after(request):
    """The virtual school loads the authority's looked-after children return; the worker
    applies it, and the job's page shows its progress and then its report."""
    from accounts.policy import virtual_school_authority
    from pupils import services

    jobs = _visible_imports(request)
    authority = virtual_school_authority(request.user)
    form = LookedAfterReturnForm(data=posted(request), files=request.FILES or None)
    return form_page(
        request,
        form,
        template="pupils/import_looked_after.html",
        context={"jobs": jobs.select_related("started_by")[:20]},
        save=lambda data: services.queue_looked_after_import(
            request.user, authority=authority, header=data["header"], episodes=data["episodes"]
        ),
        done=lambda job: reverse("pupils:import", args=[job.pk]),
        message="The return is loading: this page shows how far it has got",
    )


def import_job(request, pk):
    from pupils.models import ImportKind

    job = get_object_or_404(_visible_imports(request), pk=pk)
    context = _job_context(job)
    outcome = request.GET.get("outcome", "")
    lines = [line for line in job.report if not outcome or line["outcome"] == outcome]
    page = Paginator(lines, REPORT_PAGE).get_page(request.GET.get("page"))
    note_read(request, [line.get("pupil_id") for line in page.object_list], "import report")
    back = ("pupils:import-transfer-file" if job.kind == ImportKind.TRANSFER_FILE
            else "pupils:import-looked-after")  # fmt: skip
    return render(request, "pupils/import_job.html", {
        **context, "page": page, "outcome": outcome, "back": back,
        "outcomes": [(key, label, context["counts"].get(key, 0)) for key, label in OUTCOMES],
        "query": query_without_page(request),
    })  # fmt: skip


REPORT_PAGE = 100
OUTCOMES = [
    ("to_confirm", "Match to confirm"),
    ("refused", "Not taken"),
    ("created", "New"),
    ("updated", "Changed"),
    ("unchanged", "As recorded"),
]


def import_transfer_file(request):
    """An LA administrator loads a Common Transfer File from one of the authority's schools;
    the worker applies it, and the job's page shows its progress and then its report."""
    from accounts.policy import administered_authority
    from pupils import services
    from pupils.forms import TransferFileForm
    from pupils.models import ImportKind

    authority = administered_authority(request.user)
    jobs = _visible_imports(request).filter(kind=ImportKind.TRANSFER_FILE)
    return form_page(
        request,
        TransferFileForm(data=posted(request), files=request.FILES or None),
        template="pupils/import_transfer_file.html",
        context={"jobs": jobs.select_related("started_by")[:20], "authority": authority},
        save=lambda data: services.queue_transfer_file(
            request.user, authority=authority, upload=data["file"]
        ),
        done=lambda job: reverse("pupils:import", args=[job.pk]),
        message="The file is loading: this page shows how far it has got",
    )


def confirm_match(request, pk, line):
    """A person says which record a pupil of a transfer file is, where only the names and
    date of birth matched: one of the records offered, or a new pupil. The records offered are
    part of the job the user may read (``ImportJob.visible_to``): pupils who are or were on
    roll at the authority's schools, found when the file was loaded."""
    from django.http import Http404

    from pupils import transfers
    from pupils.ctf import TransferPupil
    from pupils.forms import ConfirmMatchForm

    job = get_object_or_404(_visible_imports(request), pk=pk)
    entry = next((e for e in job.report if e["line"] == line), None)
    if entry is None or entry["outcome"] != "to_confirm":
        if entry is not None:
            return redirect_with_message(request, job, "This pupil has already been matched")
        raise Http404
    candidates = list(
        Pupil.objects.filter(pk__in=entry["candidates"]).prefetch_related("enrolments__school")
    )
    note_read(request, candidates, "match to confirm")
    form = ConfirmMatchForm(data=posted(request), candidates=candidates)
    return form_page(
        request,
        form,
        template="pupils/confirm_match.html",
        context={
            "job": job,
            "entry": entry,
            "file_pupil": TransferPupil.from_json(entry["data"]),
            "candidates": candidates,
        },
        save=lambda data: transfers.confirm_transfer_match(
            request.user,
            job,
            line=line,
            pupil_id=None if data["record"] == "new" else int(data["record"]),
        ),
        done=reverse("pupils:import", args=[job.pk]) + "?outcome=to_confirm",
        message=f"{entry['child']} is matched",
    )


def redirect_with_message(request, job, text):
    from django.contrib import messages
    from django.shortcuts import redirect

    messages.info(request, text)
    return redirect("pupils:import", pk=job.pk)


def import_progress(request, pk):
    """The progress part of the job's page, which the page asks for every second or two."""
    from django.http import HttpResponse

    job = get_object_or_404(_visible_imports(request), pk=pk)
    if job.finished:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "pupils/_import_progress.html", _job_context(job))


def _job_context(job) -> dict:
    from pupils import services

    done, total = services.import_progress(job)
    return {
        "job": job,
        "done": done,
        "total": total,
        "percent": int(100 * done / total) if total else 0,
        "counts": job.counts(),
    }


def _administrator(request):
    from accounts.policy import administered_authority_ids

    if not administered_authority_ids(request.user):
        raise RoleMayNotAct


def duplicates(request):
    """An LA administrator's list of records that may be one child recorded more than once
    (the same legal names and date of birth), and the merges of the last 30 days."""
    from pupils import merging
    from pupils.models import PupilMerge

    _administrator(request)
    # One grouped read (at most the first 1,000 groups), paged here: no second one to count.
    candidates = list(merging.merge_candidates(request.user)[: merging.MOST_GROUPS])
    page = Paginator(candidates, 25).get_page(request.GET.get("page"))
    groups = [{**group, "records": merging.records_of(request.user, group)}
              for group in page.object_list]  # fmt: skip
    note_read(request, [p for g in groups for p in g["records"]], "possible duplicates")
    merges = [
        (merge, merging.may_undo(merge))
        for merge in PupilMerge.objects.visible_to(request.user).select_related(
            "kept", "merged", "merged_by"
        )[:20]
    ]
    return render(request, "pupils/duplicates.html", {
        "page": page, "groups": groups, "merges": merges, "query": query_without_page(request),
    })  # fmt: skip


def merge(request, pk, other):
    """Two records side by side; the administrator chooses the one to keep."""
    from pupils import merging
    from pupils.access import subject_access_pupils
    from pupils.forms import MergeForm

    _administrator(request)
    records = subject_access_pupils(request.user).filter(merged_into__isnull=True)
    first = get_object_or_404(records, pk=pk)
    second = get_object_or_404(records, pk=other)
    pair = [first, second]
    note_read(request, pair, "merging records")
    for pupil in pair:
        pupil.summary = merging.summary(pupil)
    return form_page(
        request,
        MergeForm(data=posted(request), pair=pair),
        template="pupils/merge.html",
        context={"pair": pair},
        save=lambda data: merging.merge_pupils(
            request.user,
            *(pair if data["kept"] == str(first.pk) else list(reversed(pair))),
        ),
        done=reverse("pupils:duplicates"),
        message=lambda m: (
            f"The two records of {m.kept} are one. You can undo this for {merging.UNDO_DAYS} days."
        ),
    )


def undo_merge(request, pk):
    """The administrator undoes a merge (within 30 days), after saying so."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from config.errors import DomainError
    from pupils import merging
    from pupils.models import PupilMerge

    _administrator(request)
    merge = get_object_or_404(
        PupilMerge.objects.visible_to(request.user).select_related("kept", "merged"), pk=pk
    )
    error = None
    if request.method == "POST":
        try:
            merging.undo_merge(request.user, merge)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, f"{merge.merged} and {merge.kept} are two records again")
            return redirect("pupils:duplicates")
    return render(request, "pupils/undo_merge.html", {
        "merge": merge, "error": error, "may_undo": merging.may_undo(merge),
    }, status=409 if error else 200)  # fmt: skip

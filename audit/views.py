from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.policy import RoleMayNotAct, administers_any_authority
from audit.forms import ErasureForm, SubjectAccessForm, UpnForm
from audit.models import AccessLog
from audit.retention import erase_pupil
from audit.services import record_access
from audit.subject_access import build_archive
from config.pages import form_page, posted


def access_log(request):
    """LA administrators look up who viewed a pupil's pages. The rows come from
    ``AccessLog.objects.visible_to``: anybody else finds nothing."""
    if not administers_any_authority(request.user):
        raise RoleMayNotAct
    form = UpnForm(data=request.GET or None)
    rows = None
    if form.is_bound and form.is_valid():
        rows = (
            AccessLog.objects.visible_to(request.user)
            .filter(pupil__upn=form.cleaned_data["upn"])
            .select_related("user", "organisation")[:500]
        )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "audit/access_log.html", {"form": form, "rows": rows}, status=status)


def subject_access(request):
    """An LA administrator exports everything held about one pupil (a subject access request)."""
    if not administers_any_authority(request.user):
        raise RoleMayNotAct
    form = SubjectAccessForm(data=posted(request), user=request.user)
    if form.is_bound and form.is_valid():
        pupil = form.cleaned_data["pupil"]
        content = build_archive(pupil, redact_third_parties=form.cleaned_data["redact"])
        record_access(
            request.user, request, kind="export", page="subject access request",
            pupil=pupil, reason=form.cleaned_data["reason"],
        )  # fmt: skip
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="sar-{pupil.upn}.zip"'
        return response
    return render(
        request,
        "audit/subject_access.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def erasure(request):
    """Erase (anonymise) a pupil's details where the law allows it, with the reason kept."""
    if not administers_any_authority(request.user):
        raise RoleMayNotAct
    return form_page(
        request,
        ErasureForm(data=posted(request), user=request.user),
        template="audit/erasure.html",
        context={},
        save=lambda data: erase_pupil(request.user, data["pupil"], reason=data["reason"]),
        done=reverse("audit:erasure"),
        message="The pupil's details have been anonymised.",
    )

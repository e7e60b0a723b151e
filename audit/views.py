from django.shortcuts import render

from accounts.policy import RoleMayNotAct, administers_any_authority
from audit.models import AccessLog
from pupils.forms import AccessLogSearchForm


def access_log(request):
    """LA administrators look up who viewed a pupil's pages. The rows come from
    ``AccessLog.objects.visible_to``: anybody else finds nothing."""
    if not administers_any_authority(request.user):
        raise RoleMayNotAct
    form = AccessLogSearchForm(data=request.GET or None)
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
    from django import forms
    from django.http import HttpResponse

    from accounts.policy import subject_access_pupils
    from audit.services import record_access
    from audit.subject_access import build_archive
    from config.govuk import GovukForm

    if not administers_any_authority(request.user):
        raise RoleMayNotAct

    class SubjectAccessForm(GovukForm):
        upn = forms.CharField(label="Pupil's UPN", max_length=13,
                              error_messages={"required": "Enter the pupil's UPN"})  # fmt: skip
        reason = forms.CharField(
            label="Request reference or reason", max_length=300,
            error_messages={"required": "Enter the request's reference"},
        )  # fmt: skip
        redact = forms.BooleanField(label="Redact other people's names", required=False)

    form = SubjectAccessForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        pupil = (
            subject_access_pupils(request.user)
            .filter(upn=form.cleaned_data["upn"].strip().upper())
            .first()
        )
        if pupil is None:
            form.add_error("upn", "No pupil with this UPN has been on roll in your authority")
        else:
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
    from django import forms
    from django.contrib import messages
    from django.shortcuts import redirect

    from accounts.policy import subject_access_pupils
    from audit.retention import erase_pupil
    from config.errors import DomainError
    from config.govuk import GovukForm

    if not administers_any_authority(request.user):
        raise RoleMayNotAct

    class ErasureForm(GovukForm):
        upn = forms.CharField(label="Pupil's UPN", max_length=13,
                              error_messages={"required": "Enter the pupil's UPN"})  # fmt: skip
        reason = forms.CharField(
            label="Why may the details be erased?", max_length=300,
            error_messages={"required": "Enter why the pupil's details are being erased"},
        )  # fmt: skip
        confirm = forms.BooleanField(
            label="I understand this cannot be undone",
            error_messages={"required": "Confirm that you understand this cannot be undone"},
        )

    form = ErasureForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        pupil = (
            subject_access_pupils(request.user)
            .filter(upn=form.cleaned_data["upn"].strip().upper())
            .first()
        )
        if pupil is None:
            form.add_error("upn", "No pupil with this UPN has been on roll in your authority")
        else:
            try:
                erase_pupil(request.user, pupil, reason=form.cleaned_data["reason"])
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "The pupil's details have been anonymised.")
                return redirect("audit:erasure")
    return render(
        request,
        "audit/erasure.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )

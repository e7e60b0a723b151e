from django.http import Http404
from django.shortcuts import render

from accounts.policy import administers_any_authority
from audit.models import AccessLog
from pupils.forms import AccessLogSearchForm


def access_log(request):
    """LA administrators look up who viewed a pupil's pages. The rows come from
    ``AccessLog.objects.visible_to``: anybody else finds nothing."""
    if not administers_any_authority(request.user):
        raise Http404
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

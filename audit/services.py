import datetime

from django.conf import settings
from django.utils import timezone

from audit.models import AccessLog


def record_access(
    actor, request, *, kind: str, page: str, pupil=None, records: int = 1, reason: str = ""
) -> AccessLog | None:
    """Log a download or an export (issue: security): who, when, what, for how many pupils."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    return AccessLog.objects.create(
        user=actor,
        kind=kind,
        pupil=pupil,
        records=records,
        reason=reason,
        authority=membership.organisation.authority,
        organisation=membership.organisation,
        page=page[:100],
        path=request.get_full_path()[:500],
    )


def purge_access_log(now: datetime.datetime | None = None) -> int:
    """Delete access-log rows older than ``ACCESS_LOG_RETENTION_DAYS``; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessLog.objects.filter(viewed_at__lt=cutoff).delete()
    return deleted

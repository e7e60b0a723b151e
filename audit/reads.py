"""Every read of a pupil's personal data is logged: who, which pupils, what, when.

Pages and the API say what they show with :func:`note_read`; :class:`AccessLogMiddleware`
writes it once the response is built, in one insert for the whole request, so a list of fifty
pupils costs one statement, not fifty. Only a successful response is logged: a page that
refused shows nothing."""

from django.db import DatabaseError

from audit.models import AccessLog

# An export or list of more pupils than this needs a reason, on the pages and in the API.
REASON_OVER = 100


def note_read(request, pupils, what: str, *, kind: str = "view", reason: str = "") -> None:
    """Record that this request shows ``pupils`` (pupils or their ids) as ``what``."""
    request = getattr(request, "_request", request)  # a DRF request wraps Django's
    ids = {getattr(p, "pk", p) for p in pupils if p is not None}
    if ids:
        request.__dict__.setdefault("_pupils_read", []).append((what[:100], kind, ids, reason))


def _membership(request):
    from accounts.middleware import current_membership

    membership = getattr(request, "membership", None)
    if membership:  # a lazy object: evaluated here
        return membership
    return current_membership(request) if hasattr(request, "session") else None


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        reads = request.__dict__.get("_pupils_read")
        if reads and 200 <= response.status_code < 300:
            self._write(request, reads)
        return response

    def _write(self, request, reads) -> None:
        from accounts.policy import active_memberships

        user = request.user
        memberships = active_memberships(user)
        if not memberships:
            return
        membership = _membership(request) or memberships[0]
        path = request.get_full_path()[:500]
        rows = [
            AccessLog(
                user=user, pupil_id=pupil_id, kind=kind, page=what, path=path, reason=reason,
                authority=membership.organisation.authority,
                organisation=membership.organisation,
            )
            for what, kind, ids, reason in reads
            for pupil_id in sorted(ids)
        ]  # fmt: skip
        try:
            # One statement, atomic by itself: no savepoint around it.
            AccessLog.objects.bulk_create(rows)
        except DatabaseError:
            # The page has been shown: a log that cannot be written is reported, loudly,
            # rather than turned into an error for someone who has already read it.
            import logging

            logging.getLogger(__name__).exception("Access log not written for %s", path)

"""Every read of a pupil's personal data is logged: who, which pupils, what, when.

Pages and the API say what they show with :func:`note_read`; :class:`AccessLogMiddleware`
writes it once the response is built, in one insert for the whole request, so a list of fifty
pupils costs one statement, not fifty. Only a successful response is logged: a page that
refused shows nothing."""

from django.db import DatabaseError, connection
from django.utils import timezone

from accounts.models import OrganisationKind
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
            (kind, pupil_id, reason, what)
            for what, kind, ids, reason in reads
            for pupil_id in sorted(ids)
        ]  # fmt: skip
        try:
            _insert(
                rows, user_id=user.pk, path=path,
                authority_id=_authority_id(membership.organisation),
                organisation_id=membership.organisation_id,
            )  # fmt: skip
        except DatabaseError:
            # The page has been shown: a log that cannot be written is reported, loudly,
            # rather than turned into an error for someone who has already read it.
            import logging

            logging.getLogger(__name__).exception("Access log not written for %s", path)


def _insert(rows, *, user_id, path, authority_id, organisation_id) -> None:
    """Every row of the request in one INSERT ... SELECT FROM unnest(...): a list of fifty
    pupils costs one statement and about what one row costs through the ORM."""
    table = AccessLog._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, kind, pupil_id, records, reason, authority_id, "
            "organisation_id, page, path, viewed_at) "
            "SELECT %s, r.kind, r.pupil_id, 1, r.reason, %s, %s, r.page, %s, %s "
            "FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::text[]) "
            "AS r(kind, pupil_id, reason, page)",
            [
                user_id, authority_id, organisation_id, path, timezone.now(),
                [row[0] for row in rows], [row[1] for row in rows],
                [row[2] for row in rows], [row[3] for row in rows],
            ],
        )  # fmt: skip


def _authority_id(organisation) -> int:
    if organisation.kind == OrganisationKind.LOCAL_AUTHORITY:
        return organisation.pk
    return organisation.local_authority_id

"""The query parameters every API list takes, and a 400 for any other.

An integrator's typo (``?stauts=open``) or an ordering we do not offer used to be ignored and
answer with everything; a system that keeps a copy in step would then believe what it got.
Every list now says which parameters it understood, and refuses the rest in words, each with
the code ``unknown_parameter`` or ``invalid``."""

import datetime

from django.utils import timezone
from rest_framework import exceptions, filters

UPDATED_SINCE = "updated_since"
# Read by the pagination (cursor, page_size), the access log (reason) and every list.
COMMON = {"cursor", "page_size", "ordering", UPDATED_SINCE, "reason"}


def _refuse(field: str, message: str, code: str = "invalid"):
    raise exceptions.ValidationError({field: [exceptions.ErrorDetail(message, code=code)]})


class KnownParameters(filters.BaseFilterBackend):
    """Refuse a query parameter the list does not take (400, code ``unknown_parameter``)."""

    def filter_queryset(self, request, queryset, view):
        known = COMMON | set(getattr(view, "filterset_fields", None) or ())
        known |= set(getattr(view, "extra_parameters", ()))
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise exceptions.ValidationError({
                name: [exceptions.ErrorDetail(
                    f"This list does not take '{name}': it takes {', '.join(sorted(known))}",
                    code="unknown_parameter",
                )]
                for name in unknown
            })  # fmt: skip
        return queryset

    def get_schema_operation_parameters(self, view):
        return [{
            "name": "reason",
            "required": False,
            "in": "query",
            "description": "Why you read this many pupils' records: needed for an answer "
            "about more than 100 pupils, and kept in the authority's access log.",
            "schema": {"type": "string", "maxLength": 300},
        }]  # fmt: skip


class UpdatedSince(filters.BaseFilterBackend):
    """``?updated_since=2026-11-30T09:00:00Z``: only the records changed at or after that
    moment (``updated_at``, stamped by the database). A time without a zone is UK time."""

    def filter_queryset(self, request, queryset, view):
        text = request.query_params.get(UPDATED_SINCE)
        if text is None:
            return queryset
        moment = parse_moment(text.strip())
        return queryset.filter(updated_at__gte=moment)

    def get_schema_operation_parameters(self, view):
        return [{
            "name": UPDATED_SINCE,
            "required": False,
            "in": "query",
            "description": "Only records changed at or after this moment (ISO 8601, such as "
            "2026-11-30T09:00:00Z). Send the time your previous sync started, less a minute: "
            "a record may come twice, never be missed.",
            "schema": {"type": "string", "format": "date-time"},
        }]  # fmt: skip


def parse_moment(text: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(text.replace(" ", "+"))
    except ValueError:
        _refuse(UPDATED_SINCE, "Updated since must be a date and time like 2026-11-30T09:00:00Z")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class StrictOrdering(filters.OrderingFilter):
    """``?ordering=`` by one of the list's ordering fields (or ``updated_at``), ``-`` for
    newest first; anything else is refused rather than quietly dropped."""

    def get_valid_fields(self, queryset, view, context=None):
        fields = getattr(view, "ordering_fields", None) or ["id"]
        return [(name, name) for name in [*fields, "updated_at"]]

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = {name for name, _ in self.get_valid_fields(queryset, view)}
        wrong = [term for term in fields if term.removeprefix("-") not in valid]
        if wrong:
            _refuse(
                self.ordering_param,
                f"Order by one of {', '.join(sorted(valid))}, with - in front for the "
                f"reverse; not {', '.join(wrong)}",
            )
        return fields

    def get_schema_operation_parameters(self, view):
        valid = [name for name, _ in self.get_valid_fields(None, view)]
        return [{
            "name": self.ordering_param,
            "required": False,
            "in": "query",
            "description": "Sort by one of these, - in front for the reverse.",
            "schema": {"type": "string", "enum": [*valid, *(f"-{name}" for name in valid)]},
        }]  # fmt: skip

"""API conventions: one JSON shape for every error, and the v1 router."""

import datetime
import functools
import re

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from config import dates
from config.errors import DomainError


class RealDateField(serializers.DateField):
    """A date as ``YYYY-MM-DD``, refused in the forms' words: "The date consent was given must
    be a real date" for 31 February, and the range (``config.dates``) for a year like 1000."""

    def __init__(self, *, name: str, earliest=None, latest=None, **kwargs):
        self.earliest, self.latest = earliest, latest
        kwargs.setdefault("help_text", f"{name[0].upper()}{name[1:]}, as YYYY-MM-DD")
        super().__init__(**kwargs)
        title = name[0].upper() + name[1:]
        self.error_messages["invalid"] = f"{title} must be a date written as YYYY-MM-DD"
        self.error_messages["real"] = f"{title} must be a real date"
        self.error_messages["range"] = title + " {problem}"
        self.error_messages["required"] = f"Enter {name}"

    def to_internal_value(self, value):
        if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
            try:
                day = datetime.date.fromisoformat(value.strip())
            except ValueError:
                self.fail("real")
        else:
            day = super().to_internal_value(value)
        problem = dates.out_of_range(day, self.earliest, self.latest)
        if problem:
            self.fail("range", problem=problem)
        return day


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def created(record, serializer_class, route: str, **context) -> Response:
    """201 Created: the record as the API reads it (its ``id``, ``reference`` and ``status``
    among the rest; ``context`` for the serializer), and its address in the ``Location``
    header."""
    from django.urls import reverse

    return Response(
        serializer_class(record, context=context).data,
        status=201,
        headers={"Location": reverse(route, args=[record.pk])},
    )


def creates(submission, read, *, what: str):
    """The schema of a create: a JSON body of ``submission``; 201 answers with ``read`` and a
    ``Location`` header (what :func:`created` sends)."""
    from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

    return extend_schema(
        request={"application/json": submission},
        responses={201: OpenApiResponse(read, description=f"The {what} as it was saved")},
        parameters=[
            OpenApiParameter(
                "Location", str, OpenApiParameter.HEADER, response=[201],
                description=f"The new {what}'s address in this API",
            ),
            OpenApiParameter(
                IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, required=False,
                description="A key of yours, unique to this request (a UUID): sent again with "
                "the same body, the first answer comes back and nothing is made twice; with "
                "another body, 422. Kept for 24 hours.",
            ),
        ],
    )  # fmt: skip


IDEMPOTENCY_HEADER = "Idempotency-Key"


def idempotent(create):
    """Make a create safe to retry: under an ``Idempotency-Key`` header, the first answer (a
    2xx) is kept with a fingerprint of the request, and the same key sent again gets it back
    (with ``Idempotent-Replayed: true``) instead of a second record; the same key with another
    body is refused (422, code ``idempotency_key_reused``). The key is taken inside the same
    transaction as the create: a second request racing the first waits for it, then replays
    its answer; a refused create keeps nothing, so its retry runs afresh."""
    import functools
    import hashlib
    import json

    from django.db import IntegrityError, transaction

    from accounts.models import IdempotentRequest

    @functools.wraps(create)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return create(self, request, *args, **kwargs)
        key = key.strip()
        if not 1 <= len(key) <= 255:
            raise exceptions.ValidationError({
                IDEMPOTENCY_HEADER: exceptions.ErrorDetail(
                    "Send an Idempotency-Key of 1 to 255 characters, like a UUID", code="invalid"
                )
            })  # fmt: skip
        body = json.dumps(request.data, sort_keys=True, default=str)
        fingerprint = hashlib.sha256(
            f"{request.method} {request.path}\n{body}".encode()
        ).hexdigest()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    kept = IdempotentRequest.objects.create(
                        user=request.user, key=key, fingerprint=fingerprint, status=0, body={}
                    )
            except IntegrityError:
                return _replay(request.user, key, fingerprint)
            response = create(self, request, *args, **kwargs)
            if not 200 <= response.status_code < 300:
                transaction.set_rollback(True)
                return response
            kept.status, kept.body = response.status_code, response.data
            kept.location = response.headers.get("Location", "")
            kept.save(update_fields=["status", "body", "location"])
        return response

    return wrapper


def _replay(user, key: str, fingerprint: str) -> Response:
    from accounts.models import IdempotentRequest

    kept = IdempotentRequest.objects.get(user=user, key=key)
    if kept.fingerprint != fingerprint:
        raise DomainError(
            "This Idempotency-Key was used for another request: use a new key for each one.",
            field=IDEMPOTENCY_HEADER,
            code="idempotency_key_reused",
        )
    headers = {"Idempotent-Replayed": "true"}
    if kept.location:
        headers["Location"] = kept.location
    return Response(kept.body, status=kept.status, headers=headers)


def errors(items, status):
    return Response({"errors": items}, status=status)


def handle_exception(exc, context):
    """Every error as {"errors": [{"field": ..., "message": ..., "code": ...}]}, all of them at
    once: a request the API cannot read (400), not signed in (401), not allowed (403), not found
    or not visible (404), a conflict with what is already recorded (409: retrying cannot help),
    a rule of the service broken (422), too many requests (429)."""
    if isinstance(exc, DomainError):
        items = [_domain_item(e) for e in exc.every]
        return errors(items, 409 if any(e.conflict for e in exc.every) else 422)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError) and isinstance(data, dict):
        codes = exc.get_codes()
        items = []
        for field, messages in data.items():
            field_codes = codes.get(field) if isinstance(codes, dict) else None
            listed = messages if isinstance(messages, list) else [messages]
            code_list = (
                field_codes if isinstance(field_codes, list) else [field_codes] * len(listed)
            )
            for message, code in zip(listed, code_list, strict=False):
                items.append({
                    "field": None if field == "non_field_errors" else field,
                    "message": str(message),
                    "code": code if isinstance(code, str) else "invalid",
                })  # fmt: skip
    else:
        detail = data.get("detail", data) if isinstance(data, dict) else data
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        items = [{"field": None, "message": str(detail), "code": str(code)}]
    response.data = {"errors": items}
    return response


def _domain_item(error: DomainError) -> dict:
    item = {"field": error.field, "message": error.message, "code": error.code}
    if error.existing_id is not None:
        item["existing_id"] = error.existing_id
    return item


ERROR_RESPONSES = {
    "400": "The request cannot be read as it is: each error names its field and a code",
    "401": "No token, or a token that is not valid",
    "403": "The token is read-only, or the user's role may not do this",
    "404": "No such record, or one the token's user may not see",
    "405": "The method is not allowed here",
    "406": "The format asked for is not offered",
    "409": "It conflicts with what is already recorded (an open referral, a decision already "
    "made): sending it again will not help",
    "415": "The body is not JSON",
    "422": "It breaks a rule of the service (a day that is not a school day, a form's missing "
    "answers): every rule broken is listed, each with its field and a code",
    "429": "Too many requests: wait and try again",
}
ERRORS_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message", "code"],
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "message": {"type": "string"},
                    "code": {
                        "type": "string",
                        "description": "Stable: test for this, not for the words",
                    },
                    "existing_id": {
                        "type": "integer",
                        "description": "With code duplicate_external_id: the id of the record "
                        "your system sent before",
                    },
                },
            },
        }
    },
}


def document_errors(result, generator, request, public):
    """Schema hook: every operation documents the error answers of :func:`handle_exception`."""
    result.setdefault("components", {}).setdefault("schemas", {})["Errors"] = ERRORS_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(status, {"description": description, "content": reference})
            for status, response in responses.items():
                response.setdefault("headers", {}).update(RATE_HEADERS)
                if status == "429":
                    response["headers"]["Retry-After"] = _header("Seconds until you may ask again")
    return result


def _header(description: str, kind: str = "integer") -> dict:
    return {"description": description, "schema": {"type": kind}}


RATE_HEADERS = {
    "RateLimit-Limit": _header("Requests this token may make in an hour"),
    "RateLimit-Remaining": _header("Requests left this hour"),
    "RateLimit-Reset": _header("Seconds until the allowance starts again"),
    "RateLimit": _header(
        'The same, as the IETF draft writes it: "per-token";r=998;t=1800', "string"
    ),
    "RateLimit-Policy": _header('The allowance: "per-token";q=1000;w=3600', "string"),
}


# What each resource is, for the schema's summaries and descriptions: (one, many, about).
RESOURCES = {
    "pupils": ("pupil", "pupils", "Pupils on the roll of the token's school, or in the "
               "user's cohort or caseload."),
    "referrals": ("referral", "referrals", "Referrals to the authority's services and their "
                  "progress through the gateway: status, the gateway's question and decision."),
    "cases": ("case", "cases", "Casework opened from referrals."),
    "contacts": ("contact", "contacts", "A service's contacts (notes): read by its own staff "
                 "only."),
    "plans_psps": ("Pastoral Support Plan", "Pastoral Support Plans", "The school's PSPs."),
    "plans_bips": ("Behaviour Improvement Plan", "Behaviour Improvement Plans",
                   "BOSS's BIPs, the school's to keep once the case closes."),
    "plans_timetables": ("part-time timetable", "part-time timetables",
                         "Part-time timetables notified on form PT1."),
    "plans_risk_assessments": ("risk assessment", "risk assessments", "Risk assessments."),
    "plans_pep_meetings": ("PEP meeting", "PEP meetings",
                           "Personal Education Plan meetings of children looked after."),
    "exclusions": ("suspension or permanent exclusion", "suspensions and permanent exclusions",
                   "Suspensions and permanent exclusions, with the statutory steps after them."),
    "deadlines": ("deadline", "deadlines", "Time limits, counted in school days where the "
                  "rule says so: yours, or every one of a record you may see."),
    "webhooks": ("webhook", "webhooks", "Where your school's system is told of changes to "
                 "its records: each event signed, and sent again until your system answers."),
}  # fmt: skip
LIST_NOTE = (
    " Newest first, 50 to a page (page_size up to 500): follow next. updated_since returns only "
    "what changed; a parameter the list does not take is refused (400)."
)


def describe_operations(result, generator, request, public):
    """Schema hook: every operation has a summary and a description written for an integrator
    (not the code's docstrings), and the schema names its server and licence."""
    from django.conf import settings

    result["servers"] = [{"url": settings.SITE_URL, "description": "This authority's service"}]
    result["info"]["license"] = {"name": "MIT", "url": "https://opensource.org/licenses/MIT"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if "summary" in operation:  # written for the operation itself (extend_schema)
                continue
            summary, description = _described(operation["operationId"])
            operation["summary"] = summary
            operation["description"] = description
    return result


def _described(operation_id: str) -> tuple[str, str]:
    resource, _, action = operation_id.rpartition("_")
    if resource in RESOURCES:
        one, many, about = RESOURCES[resource]
        if action == "list":
            return f"List {many}", about + LIST_NOTE
        if action == "destroy":
            return f"Remove a {one}", f"Stop sending to this {one}. {about}"
        if action == "create" and resource == "webhooks":
            return "Register a webhook", (
                "Tell the service where to send events about your school's records. The "
                "answer holds the secret that signs them, shown this once."
            )
        if action == "create":
            return f"Send a {one}", (
                f"A school's system sends a {one}, checked by the same rules as the form. "
                "Name the pupil by UPN; send an Idempotency-Key or your external_id so that a "
                "retry makes nothing twice."
            )
        return f"Read a {one}", f"One {one}, by its id. {about}"
    return {
        "reporting_services_retrieve": ("Read a service's quarterly figures",
                                        "The quarter's figures for the services you manage."),
        "reporting_exclusions_retrieve": ("Read the quarter's exclusion figures",
                                          "Suspensions and permanent exclusions in the quarter."),
        "schema_retrieve": ("Read this schema", "The OpenAPI description of this API."),
    }.get(operation_id, (operation_id.replace("_", " ").capitalize(), ""))  # fmt: skip


@extend_schema_field(OpenApiTypes.BINARY)
class UploadedFile(serializers.FileField):
    """A file sent as a part of multipart/form-data (a binary string in the schema)."""


class ValueRows:
    """A list serializer's rows written from ``values()`` rather than from model instances: the
    same JSON, field by field (each readable field's own ``to_representation``), without the
    model instance of each joined record on every row, nor the serializer's walk along each
    field's source. A field's source names its column (``service.name`` is ``service__name``);
    a field that is no column, such as a school's DfE number, is named in the serializer's
    ``computed_values``: ``{field: (columns, function of their values)}``. A test compares
    each list's rows with each record read on its own."""

    def __init__(self, serializer_class):
        serializer = serializer_class()
        computed = getattr(serializer_class, "computed_values", {})
        self.fields, self.columns = [], []
        for field in serializer._readable_fields:
            if field.field_name in computed:
                columns, function = computed[field.field_name]
            else:
                column = "__".join(field.source_attrs)
                if isinstance(field, serializers.SlugRelatedField):
                    column = f"{column}__{field.slug_field}"
                columns, function = (column,), None
            # A related field's value is the slug or id itself; any other field writes it.
            raw = isinstance(field, serializers.RelatedField)
            self.fields.append((field.field_name, columns, function, raw, field))
            self.columns += [column for column in columns if column not in self.columns]
        self.instants = {field.field_name for *_, field in self.fields if _is_instant(field)}

    def represent(self, row: dict, zone) -> dict:
        """One row as the serializer writes its record; ``zone``, the current time zone, read
        once for the list rather than for each of its date-times."""
        data = {}
        for name, columns, function, raw, field in self.fields:
            value = function(*(row[c] for c in columns)) if function else row[columns[0]]
            if value is None or raw:
                data[name] = value
            elif name in self.instants and value.tzinfo is not None:
                data[name] = _iso_instant(value.astimezone(zone))
            else:
                data[name] = field.to_representation(value)
        return data


def _is_instant(field) -> bool:
    """A date-time field written as DRF writes one by default (ISO 8601, the current zone)."""
    from rest_framework import ISO_8601
    from rest_framework.settings import api_settings

    output = getattr(field, "format", api_settings.DATETIME_FORMAT)
    return (
        isinstance(field, serializers.DateTimeField)
        and isinstance(output, str)
        and output.lower() == ISO_8601
        and not hasattr(field, "timezone")
    )


def _iso_instant(value: datetime.datetime) -> str:
    """DRF's ISO 8601 date-time: ``Z`` for UTC, the offset otherwise."""
    text = value.isoformat()
    return f"{text[:-6]}Z" if text.endswith("+00:00") else text


@functools.cache
def _value_rows(serializer_class) -> ValueRows:
    """One ``ValueRows`` per serializer, made on its first list."""
    return ValueRows(serializer_class)


class ListsValues:
    """For a read-only viewset: its list read as ``values()`` and written by
    :class:`ValueRows`, its records read as before. The serializer, and so the schema, are the
    same for both."""

    def list(self, request, *args, **kwargs):
        rows = _value_rows(self.get_serializer_class())
        # The keyset pagination reads its mark from each row; the access log its pupil.
        marks = ["pk", *getattr(self, "ordering_fields", []), getattr(self, "pupil_field", "pk")]
        columns = rows.columns + [mark for mark in marks if mark not in rows.columns]
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()).values(*columns))
        zone = timezone.get_current_timezone()
        return self.get_paginated_response([rows.represent(row, zone) for row in page])

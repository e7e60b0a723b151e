"""API conventions: one JSON shape for every error, and the v1 router."""

import datetime
import re

from django.http import Http404
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


def created(record, serializer_class, route: str) -> Response:
    """201 Created: the record as the API reads it (its ``id``, ``reference`` and ``status``
    among the rest), and its address in the ``Location`` header."""
    from django.urls import reverse

    return Response(
        serializer_class(record).data,
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
            )
        ],
    )  # fmt: skip


def errors(items, status):
    return Response({"errors": items}, status=status)


def handle_exception(exc, context):
    """Every error as {"errors": [{"field": ..., "message": ..., "code": ...}]}, all of them at
    once: a request the API cannot read (400), not signed in (401), not allowed (403), not found
    or not visible (404), a conflict with what is already recorded (409: retrying cannot help),
    a rule of the service broken (422), too many requests (429)."""
    if isinstance(exc, DomainError):
        items = [{"field": e.field, "message": e.message, "code": e.code} for e in exc.every]
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
    return result

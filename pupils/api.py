"""Pupils in the API, and what every record sent by a school's system has in common: the pupil
named by their UPN (or our id), the school by its URN, and the system's own reference."""

from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from audit.api import LogsPupilReads
from config.api import ListsValues, UploadedFile
from config.errors import DomainError
from pupils.models import Enrolment, Gender, ImportStatus, Pupil, School, SenStatus

# The DfE's codes, as the school census and the Common Transfer File write them.
SEX = [("M", "Male"), ("F", "Female"), ("U", "Not known or not stated")]
SEN_PROVISION = [
    ("N", "No special educational need"),
    ("K", "SEN support"),
    ("E", "Education, health and care plan"),
]
_SEX_OF = {Gender.MALE: "M", Gender.FEMALE: "F", Gender.OTHER: "U"}
_PROVISION_OF = {SenStatus.NONE: "N", SenStatus.SEN_SUPPORT: "K", SenStatus.EHCP: "E"}

# What every record about a pupil at a school shows, so an integrator can match it to theirs.
IDENTIFIERS = ["pupil_upn", "school_urn", "school_dfe_number", "updated_at"]
IDENTIFIER_JOINS = ("pupil", "school__organisation__local_authority")


class Identifiers(serializers.Serializer):
    """The DfE's identifiers of a record's pupil and school, beside our ids."""

    pupil_upn = serializers.CharField(
        source="pupil.upn", read_only=True, help_text="The pupil's UPN (DfE unique pupil number)"
    )
    school_urn = serializers.CharField(
        source="school.urn", read_only=True, default=None,
        help_text="The school's URN (DfE unique reference number)",
    )  # fmt: skip
    school_dfe_number = serializers.CharField(
        source="school.dfe_number", read_only=True, default=None,
        help_text="The school's DfE number: LA number / establishment number, like 873/4001",
    )  # fmt: skip

    # A list's rows are read as values (config.api.ValueRows): the DfE number from its parts.
    computed_values = {
        "school_dfe_number": (
            ("school__organisation__local_authority__la_number", "school__establishment_number"),
            lambda la_number, number: None if number is None
            else School.dfe_number_of(la_number, number),
        ),
    }  # fmt: skip


def deadlines_link(subject: str):
    """A read model's ``deadlines``: the address of the record's time limits in this API."""

    class DeadlinesLink(serializers.Field):
        def __init__(self, **kwargs):
            kwargs.setdefault(
                "help_text", f"Its time limits: /api/v1/deadlines?{subject}=<id>, as an address"
            )
            super().__init__(source="pk", read_only=True, **kwargs)

        def to_representation(self, pk):
            from accounts.navigation import url_of

            return f"{url_of('api:deadline-list')}?{subject}={pk}"

    return extend_schema_field(serializers.CharField())(DeadlinesLink)()


class SexField(serializers.ChoiceField):
    """The pupil's sex as the DfE codes it, from ours."""

    def __init__(self, **kwargs):
        super().__init__(choices=SEX, source="gender", read_only=True, **kwargs)

    def to_representation(self, value):
        return _SEX_OF.get(value, "U")


class SenProvisionField(serializers.ChoiceField):
    """The pupil's SEN provision as the DfE codes it, from our SEN status."""

    def __init__(self, **kwargs):
        super().__init__(choices=SEN_PROVISION, source="sen_status", read_only=True, **kwargs)

    def to_representation(self, value):
        return _PROVISION_OF[value]


class PupilSerializer(serializers.ModelSerializer):
    sex = SexField(help_text="The DfE's code: M, F, or U (our 'other or not stated')")
    sen_provision = SenProvisionField(
        help_text="The DfE's SEN provision code: N none, K SEN support, E an EHC plan"
    )

    class Meta:
        model = Pupil
        fields = [
            "id", "upn", "legal_first_name", "legal_last_name", "preferred_first_name",
            "date_of_birth", "sex", "gender", "care_status", "sen_provision", "sen_status",
            "pupil_premium", "updated_at",
        ]  # fmt: skip


class PupilViewSet(LogsPupilReads, ListsValues, viewsets.ReadOnlyModelViewSet):
    serializer_class = PupilSerializer
    pupil_field = "pk"
    filterset_fields = ["care_status", "sen_status", "upn"]
    ordering_fields = ["legal_last_name", "id"]

    def get_queryset(self):
        return Pupil.objects.visible_to(self.request.user).order_by("legal_last_name", "id")


class SchoolNotice(serializers.Serializer):
    """What every record a school's system sends begins with: the pupil, by their UPN or by our
    id; the school, by its URN when the token's user works at more than one; and the system's
    own reference for it, which makes a retry safe."""

    upn = serializers.CharField(
        required=False, max_length=13,
        help_text="The pupil's UPN, as your system holds it. Send this or pupil.",
    )  # fmt: skip
    pupil = serializers.IntegerField(
        required=False, help_text="Our id of the pupil, as /api/v1/pupils lists it."
    )
    school_urn = serializers.CharField(
        required=False, max_length=6,
        help_text="The URN of your school. Left out: the school the token acts for.",
    )  # fmt: skip
    external_id = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default="",
        help_text="Your system's own reference for this record, unique for your school: sent "
        "again, it is refused with 409 and the id of the record already made.",
    )  # fmt: skip

    def validate(self, data):
        if not data.get("upn") and data.get("pupil") is None:
            raise serializers.ValidationError({
                "upn": exceptions.ErrorDetail(
                    "Send the pupil's UPN (upn), or our id of them (pupil)", code="required"
                )
            })  # fmt: skip
        return data


def acting_schools(request, *, action: str) -> list:
    """The schools a school's system may act for: its user's, and with a token only the one
    school the token was issued for. Any other role may read but not send, and is told so with
    a 403 before its body is looked at."""
    from accounts.models import ApiToken
    from accounts.policy import school_staff_organisations

    schools = [organisation.school for organisation in school_staff_organisations(request.user)]
    token = request.auth
    if isinstance(token, ApiToken) and token.school_id is not None:
        schools = [school for school in schools if school.organisation_id == token.school_id]
    elif isinstance(token, ApiToken) and len(schools) > 1:
        raise exceptions.PermissionDenied(
            "This token was issued before each token acted for one school: issue a new one, "
            "choosing the school it acts for."
        )
    if not schools:
        raise exceptions.PermissionDenied(f"Only school staff {action}.")
    return schools


def with_urn(schools, urn: str | None) -> list:
    """The one of ``schools`` with the URN a school's system sent, or all of them if it sent
    none; a 422 on ``school_urn`` for a URN that is not one of them."""
    if urn is None:
        return list(schools)
    chosen = [school for school in schools if school.urn == urn.strip()]
    if not chosen:
        raise DomainError(
            "That URN is not a school this token acts for.", field="school_urn",
            code="not_your_school",
        )  # fmt: skip
    return chosen


def pupil_on_roll(user, fields: dict, schools) -> tuple[Pupil, object]:
    """The pupil named by ``upn`` or ``pupil``, and the one of ``schools`` (narrowed to
    ``school_urn`` if sent) they are on roll at now; a 422 on the field otherwise."""
    schools = with_urn(schools, fields.pop("school_urn", None))
    upn, pupil_id = fields.pop("upn", None), fields.pop("pupil", None)
    enrolments = Enrolment.objects.current().filter(
        pupil__in=Pupil.objects.visible_to(user), school__in=schools
    )
    if upn:
        enrolments = enrolments.filter(pupil__upn=upn.strip().upper())
    if pupil_id is not None:
        enrolments = enrolments.filter(pupil_id=pupil_id)
    enrolment = enrolments.select_related("pupil", "school__organisation").first()
    if enrolment is None:
        field = "upn" if upn else "pupil"
        raise DomainError(
            f"No pupil with that {'UPN' if upn else 'id'} on your school's roll.", field=field,
            code="not_on_roll",
        )  # fmt: skip
    return enrolment.pupil, enrolment.school


def school_notice(request, serializer_class, *, action: str):
    """What a school's system sends (a referral, an exclusion notice, a part-time timetable):
    the school it acts for (a 403 for any other role, before the body is read), the body checked
    by ``serializer_class`` (a :class:`SchoolNotice`), and the pupil it names on that school's
    roll. Returns ``(school, pupil, fields)`` with the pupil and school taken out of the
    fields and the system's ``external_id`` left in."""
    schools = acting_schools(request, action=action)
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    fields = dict(data.validated_data)
    pupil, school = pupil_on_roll(request.user, fields, schools)
    return school, pupil, fields


class TransferFileUpload(serializers.Serializer):
    file = UploadedFile(
        help_text="The Common Transfer File (CTF 26 or CTF 25) your system made, from your "
        "school to the local authority, or an XML data transfer."
    )
    school_urn = serializers.CharField(
        required=False, max_length=6,
        help_text="The URN of your school. Left out: the school the token acts for.",
    )  # fmt: skip


class TransferLine(serializers.Serializer):
    line = serializers.IntegerField(help_text="The line of the file where the pupil begins")
    upn = serializers.CharField()
    outcome = serializers.ChoiceField(
        choices=[
            ("created", "A new pupil"),
            ("updated", "A pupil's record changed"),
            ("unchanged", "As recorded"),
            ("to_confirm", "Names and date of birth match a record with another UPN: the "
                           "authority confirms which"),
            ("refused", "Not taken"),
        ],
        help_text="What became of the pupil",
    )  # fmt: skip
    message = serializers.CharField(help_text="What happened, in words")
    pupil = serializers.IntegerField(
        source="pupil_id",
        allow_null=True,
        help_text="Our id of the pupil's record, once it has one",
    )


class TransferFileSerializer(serializers.Serializer):
    """A Common Transfer File sent to the authority: queued, applied by the service's worker
    whole or not at all, then its report."""

    id = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(
        choices=ImportStatus.choices, read_only=True,
        help_text="queued and running until done; refused (with problems) changes nothing",
    )  # fmt: skip
    created_at = serializers.DateTimeField(read_only=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)
    problems = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text="Why a refused file was refused: each problem with its line and element",
    )  # fmt: skip
    report = TransferLine(many=True, read_only=True, help_text="Each pupil of the file")


class TransferFileViewSet(viewsets.GenericViewSet):
    """A school's system sends its Common Transfer Files to the authority, and reads what
    became of each pupil."""

    serializer_class = TransferFileSerializer
    filterset_fields = []
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        from pupils.models import ImportJob, ImportKind

        return ImportJob.objects.visible_to(self.request.user).filter(kind=ImportKind.TRANSFER_FILE)

    @extend_schema(
        summary="Read a Common Transfer File's outcome",
        description="Its status while the service applies it; when done, what became of each "
        "pupil (created, updated, unchanged, to_confirm or refused) with the reason in words; "
        "when refused, every problem with its line and element. Ask again every few seconds "
        "until the status is done, refused or failed.",
    )
    def retrieve(self, request, pk=None):
        job = self.get_object()
        from audit.reads import note_read

        note_read(request, [line.get("pupil_id") for line in job.report], "transfer file report")
        return Response(TransferFileSerializer(job).data)

    @extend_schema(
        request={"multipart/form-data": TransferFileUpload},
        responses={
            202: OpenApiResponse(
                TransferFileSerializer, description="Queued: read its outcome at Location"
            )
        },
        parameters=[
            OpenApiParameter(
                "Location",
                str,
                OpenApiParameter.HEADER,
                response=[202],
                description="Where to read the file's outcome in this API",
            )
        ],
        summary="Send a Common Transfer File",
        description="Your school's Common Transfer File to the local authority (CTF 26 or 25, "
        "as multipart/form-data): the authority's records of your pupils are made and kept up "
        "to date from it, so nobody types them again. Pupils are matched by UPN, then by "
        "former UPN. The file is checked first: one with any problem is refused whole (the "
        "outcome lists each problem by line and element). Sending the same file again changes "
        "nothing.",
    )
    def create(self, request):
        from pupils.services import queue_transfer_file

        schools = acting_schools(request, action="send Common Transfer Files")
        sent = TransferFileUpload(data=request.data)
        sent.is_valid(raise_exception=True)
        school = with_urn(schools, sent.validated_data.get("school_urn"))[0]
        job = queue_transfer_file(
            request.user, authority=school.organisation.local_authority,
            upload=sent.validated_data["file"], school=school,
        )  # fmt: skip
        return Response(
            TransferFileSerializer(job).data,
            status=202,
            headers={"Location": reverse("api:transfer-file-detail", args=[job.pk])},
        )

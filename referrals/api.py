"""Referrals over the API: read what the user may see; a school's system submits a referral
through the same service functions, with the same rules and messages, as the form."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from audit.api import LogsPupilReads
from config.api import ListsValues, RealDateField, UploadedFile, created, creates, idempotent
from config.errors import DomainError
from pupils.api import (
    IDENTIFIER_JOINS,
    IDENTIFIERS,
    Identifiers,
    SchoolNotice,
    acting_schools,
    deadlines_link,
    school_notice,
)
from referrals import services
from referrals.models import Attachment, AttachmentKind, Referral
from referrals.selectors import referral_types_for


class ReferralSerializer(Identifiers, serializers.ModelSerializer):
    referral_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service = serializers.CharField(source="service.name", read_only=True)
    school = serializers.CharField(source="school.name", read_only=True, default=None)
    pupil = serializers.IntegerField(source="pupil_id", read_only=True)
    psp = serializers.IntegerField(source="psp_id", read_only=True, allow_null=True)
    question = serializers.CharField(
        read_only=True,
        help_text="What the gateway asked the school, while the status is more_information",
    )
    answer = serializers.CharField(read_only=True, help_text="The school's answer to it")
    decision_reason = serializers.CharField(
        read_only=True, help_text="Why the gateway declined or redirected it, in its words"
    )
    deadlines = deadlines_link("referral")

    class Meta:
        model = Referral
        fields = [
            "id", "reference", "external_id", "referral_type", "pupil", "school", "service",
            "status", "incomplete", "submitted_at", "decided_at", "allocated_at", "reason",
            "psp", "question", "answer", "decision_reason", "redirection", "deadlines",
            *IDENTIFIERS,
        ]  # fmt: skip


class ReferralSubmission(SchoolNotice):
    """Input only: the pupil, the kind, and the form's answers."""

    referral_type = serializers.SlugField()
    reason = serializers.CharField()
    concerns = serializers.CharField(required=False, allow_blank=True)
    previous_step_started = RealDateField(
        name="the date the previous step began", required=False, allow_null=True
    )
    interventions_tried = serializers.CharField(required=False, allow_blank=True)
    crisis = serializers.BooleanField(required=False)
    crisis_reason = serializers.CharField(required=False, allow_blank=True)
    virtual_school_consulted_on = RealDateField(
        name="the date the virtual school was consulted", required=False, allow_null=True
    )
    virtual_school_consulted_with = serializers.CharField(
        required=False, allow_blank=True, max_length=150
    )
    consent_given_by = serializers.CharField(max_length=150)
    consent_given_on = RealDateField(name="the date consent was given")
    consent_method = serializers.ChoiceField(choices=["in_person", "phone", "writing"])
    psp = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The id of the pupil's Pastoral Support Plan at your school, as "
        "/api/v1/plans/psps lists it: a BOSS referral must come with one.",
    )


class AnswerSubmission(serializers.Serializer):
    answer = serializers.CharField(help_text="The information the gateway asked for, in words")


class DocumentUpload(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    file = UploadedFile(
        help_text="A PDF, Word (.docx), OpenDocument text, JPEG or PNG file of 10 MB at most: "
        "its content is checked, not its name"
    )


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "kind", "original_name", "content_type", "size"]


class ReferralViewSet(
    LogsPupilReads, ListsValues, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    mixins.CreateModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    serializer_class = ReferralSerializer
    filterset_fields = ["status"]
    ordering_fields = ["submitted_at", "id"]

    def get_queryset(self):
        # A list reads only the columns it shows, as values (config.api.ListsValues).
        return (
            Referral.objects.visible_to(self.request.user)
            .select_related("referral_type", "service", *IDENTIFIER_JOINS)
            .order_by("-id")
        )

    def get_serializer_class(self):
        return ReferralSubmission if self.action == "create" else ReferralSerializer

    @idempotent
    @creates(ReferralSubmission, ReferralSerializer, what="referral")
    def create(self, request, *args, **kwargs):
        school, pupil, answers = school_notice(
            request, ReferralSubmission, action="submit referrals"
        )
        kind = referral_types_for(school).filter(code=answers.pop("referral_type")).first()
        if kind is None:
            raise serializers.ValidationError({"referral_type": "No referral type with that code."})
        psp = _school_psp(request.user, answers.pop("psp", None), pupil, school)
        referral = services.send_referral(
            request.user, pupil=pupil, referral_type=kind, school=school, answers=answers,
            psp=psp, external_id=answers.pop("external_id"),
        )  # fmt: skip
        return created(referral, ReferralSerializer, "api:referral-detail")

    @extend_schema(
        request={"application/json": AnswerSubmission},
        responses={200: OpenApiResponse(ReferralSerializer, description="Back with the gateway")},
        summary="Answer the gateway's question",
        description="While a referral's status is more_information, the school answers the "
        "gateway's question; the referral goes back to the gateway's queue and its allocation "
        "clock starts again with the school days it had left.",
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        referral = self._schools_own()
        sent = AnswerSubmission(data=request.data)
        sent.is_valid(raise_exception=True)
        services.answer_more_information(
            request.user, referral, answer=sent.validated_data["answer"]
        )
        return Response(ReferralSerializer(referral).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUpload},
        responses={201: OpenApiResponse(DocumentSerializer, description="The document kept")},
        summary="Add a document to a referral",
        description="While the gateway has asked for more information (or before a referral "
        "is sent), the school adds a document to it, such as the pupil's Pastoral Support "
        "Plan. Sent as multipart/form-data.",
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def documents(self, request, pk=None):
        referral = self._schools_own()
        sent = DocumentUpload(data=request.data)
        sent.is_valid(raise_exception=True)
        attachment = services.attach_document(
            request.user, referral, kind=sent.validated_data["kind"],
            upload=sent.validated_data["file"],
        )  # fmt: skip
        return Response(DocumentSerializer(attachment).data, status=201)

    def _schools_own(self) -> Referral:
        """The referral, if it is one of the token's school's: its staff act on it."""
        referral = self.get_object()
        schools = acting_schools(self.request, action="answer the gateway or add documents")
        if referral.school not in schools:
            raise exceptions.PermissionDenied("Only the referring school acts on this referral.")
        return referral


def _school_psp(user, psp_id, pupil, school):
    """The pupil's PSP at the school, by its id in this API, or a 422 on the field."""
    if psp_id is None:
        return None
    plans = Referral._meta.get_field("psp").related_model.objects  # plans sit above referrals
    psp = plans.visible_to(user).filter(pk=psp_id, pupil=pupil, school=school).first()
    if psp is None:
        raise DomainError(
            f"No Pastoral Support Plan with that id for {pupil} at {school}.",
            field="psp",
            code="not_found",
        )
    return psp

from rest_framework import mixins, serializers, viewsets

from audit.api import LogsPupilReads
from config.api import RealDateField, created, creates, idempotent
from exclusions import services
from exclusions.models import Exclusion, ReasonCode
from exclusions.reference import REASONS
from exclusions.rules import NoticeSent
from pupils.api import (
    IDENTIFIER_JOINS,
    IDENTIFIERS,
    Identifiers,
    SchoolNotice,
    deadlines_link,
    school_notice,
)


class ExclusionSerializer(Identifiers, serializers.ModelSerializer):
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=REASONS), source="reason_codes", read_only=True,
        help_text="The DfE's reason codes (school census)",
    )  # fmt: skip
    school = serializers.CharField(source="school.name")
    deadlines = deadlines_link("exclusion")

    class Meta:
        model = Exclusion
        fields = ["id", "external_id", "pupil", "school", "kind", "start_date", "sessions",
                  "reasons", "status", "description", "board_told_on", "parents_told_on",
                  "deadlines", *IDENTIFIERS]  # fmt: skip


class ExclusionNotification(SchoolNotice):
    """What a school's system sends: the same as the notification form."""

    kind = serializers.ChoiceField(choices=["suspension", "permanent"])
    start_date = RealDateField(name="the first day")
    sessions = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=REASONS), min_length=1, max_length=3,
        help_text="One to three of the DfE's reason codes (school census)",
    )  # fmt: skip
    description = serializers.CharField()
    misses_public_exam = serializers.BooleanField(required=False, default=False)
    exam_date = RealDateField(
        name="the date of the examination", required=False, allow_null=True, default=None
    )
    board_told_on = RealDateField(
        name="the date the board and the local authority were told", required=False,
        help_text="When the head sent notice to the governing board and the local authority; "
        "today if left out. The board's time limits count from it.",
    )  # fmt: skip
    board_told_how = serializers.ChoiceField(
        choices=NoticeSent.CHOICES, required=False, default=NoticeSent.EMAIL,
        help_text="post: the notice counts as received on the second working day after posting.",
    )  # fmt: skip
    parents_told_on = RealDateField(name="the date the parents were told")
    parents_told_how = serializers.CharField(max_length=100)
    work_set = serializers.CharField(required=False, allow_blank=True, default="")
    virtual_school_contacted_on = RealDateField(
        name="the date the virtual school was contacted", required=False, allow_null=True
    )
    social_worker_told_on = RealDateField(
        name="the date the social worker was told", required=False, allow_null=True
    )


class ExclusionViewSet(
    LogsPupilReads, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    filterset_fields = ["kind", "status"]
    ordering_fields = ["start_date", "id"]

    def get_serializer_class(self):
        return ExclusionNotification if self.action == "create" else ExclusionSerializer

    def get_queryset(self):
        return (
            Exclusion.objects.visible_to(self.request.user)
            .select_related(*IDENTIFIER_JOINS)
            .prefetch_related("reasons")
            .order_by("-start_date", "-id")
        )

    @idempotent
    @creates(ExclusionNotification, ExclusionSerializer, what="suspension or exclusion")
    def create(self, request, *args, **kwargs):
        school, pupil, fields = school_notice(
            request, ExclusionNotification, action="notify exclusions"
        )
        codes = fields.pop("reasons")
        reasons = ReasonCode.objects.filter(code__in=codes, is_active=True)
        if reasons.count() != len(set(codes)):
            raise serializers.ValidationError(
                {"reasons": "Use the DfE reason codes, like PA, each once."}
            )
        exclusion = services.notify_exclusion(
            request.user, pupil=pupil, school=school,
            reasons=reasons, **fields,
        )  # fmt: skip
        return created(exclusion, ExclusionSerializer, "api:exclusion-detail")

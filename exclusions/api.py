from rest_framework import mixins, serializers, viewsets

from audit.api import LogsPupilReads
from config.api import RealDateField, created, creates
from exclusions import services
from exclusions.models import Exclusion, ReasonCode
from exclusions.rules import NoticeSent
from pupils.api import school_notice


class ExclusionSerializer(serializers.ModelSerializer):
    reasons = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    school = serializers.CharField(source="school.name")

    class Meta:
        model = Exclusion
        fields = ["id", "pupil", "school", "kind", "start_date", "sessions", "reasons",
                  "status", "description"]  # fmt: skip


class ExclusionNotification(serializers.Serializer):
    """What a school's system sends: the same as the notification form."""

    pupil = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["suspension", "permanent"])
    start_date = RealDateField(name="the first day")
    sessions = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    reasons = serializers.ListField(child=serializers.CharField(), min_length=1, max_length=3)
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
            .select_related("school")
            .prefetch_related("reasons")
            .order_by("-start_date", "-id")
        )

    @creates(ExclusionNotification, ExclusionSerializer, what="suspension or exclusion")
    def create(self, request, *args, **kwargs):
        school, pupil, fields = school_notice(
            request, ExclusionNotification, action="notify exclusions"
        )
        codes = fields.pop("reasons")
        reasons = ReasonCode.objects.filter(code__in=codes, is_active=True)
        if reasons.count() != len(set(codes)):
            raise serializers.ValidationError({"reasons": "Use the DfE reason codes, like PA."})
        exclusion = services.notify_exclusion(
            request.user, pupil=pupil, school=school,
            reasons=reasons, **fields,
        )  # fmt: skip
        return created(exclusion, ExclusionSerializer, "api:exclusion-detail")

from rest_framework import serializers, viewsets

from plans.models import PastoralSupportPlan, Target


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["description", "strategies", "who_does_what", "success_measure"]


class PspSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = PastoralSupportPlan
        fields = ["id", "pupil", "start_date", "planned_weeks", "next_review_date", "status",
                  "targets"]  # fmt: skip


class PspViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PspSerializer

    def get_queryset(self):
        return (
            PastoralSupportPlan.objects.visible_to(self.request.user)
            .prefetch_related("targets")
            .order_by("-start_date", "-id")
        )

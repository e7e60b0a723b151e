from rest_framework import serializers, viewsets

from audit.api import LogsPupilReads
from deadlines.models import Deadline


class DeadlineSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code")

    class Meta:
        model = Deadline
        fields = ["id", "kind", "title", "due_date", "counting_note", "status", "pupil"]


class DeadlineViewSet(LogsPupilReads, viewsets.ReadOnlyModelViewSet):
    serializer_class = DeadlineSerializer
    filterset_fields = ["status"]
    ordering_fields = ["due_date", "id"]

    def get_queryset(self):
        return (
            Deadline.objects.visible_to(self.request.user)
            .select_related("kind")
            .order_by("due_date", "id")
        )

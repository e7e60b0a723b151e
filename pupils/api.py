from rest_framework import serializers, viewsets

from pupils.models import Pupil


class PupilSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pupil
        fields = [
            "id", "upn", "legal_first_name", "legal_last_name", "preferred_first_name",
            "date_of_birth", "gender", "care_status", "sen_status", "pupil_premium",
        ]  # fmt: skip


class PupilViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PupilSerializer
    filterset_fields = ["care_status", "sen_status", "upn"]
    ordering_fields = ["legal_last_name", "id"]

    def get_queryset(self):
        return Pupil.objects.visible_to(self.request.user).order_by("legal_last_name", "id")

from rest_framework import serializers, viewsets

from audit.api import LogsPupilReads
from cases.models import Case, Contact
from pupils.api import IDENTIFIER_JOINS, IDENTIFIERS, Identifiers


class CaseSerializer(Identifiers, serializers.ModelSerializer):
    service = serializers.CharField(source="service.name")
    caseworker = serializers.CharField(source="caseworker.full_name")

    class Meta:
        model = Case
        fields = ["id", "reference", "referral", "pupil", "service", "caseworker", "status",
                  "opened_on", "closed_on", "closure_reason",
                  *IDENTIFIERS]  # fmt: skip


class CaseViewSet(LogsPupilReads, viewsets.ReadOnlyModelViewSet):
    serializer_class = CaseSerializer
    filterset_fields = ["status"]
    ordering_fields = ["opened_on", "id"]

    def get_queryset(self):
        return (
            Case.objects.visible_to(self.request.user)
            .select_related("service", "caseworker", *IDENTIFIER_JOINS)
            .order_by("-opened_on", "-id")
        )


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "case", "date", "kind", "participants", "duration_minutes", "notes",
                  "updated_at"]  # fmt: skip


class ContactViewSet(LogsPupilReads, viewsets.ReadOnlyModelViewSet):
    """Contacts (notes) are the service's own: only its members read them."""

    serializer_class = ContactSerializer
    pupil_field = "case.pupil_id"

    def get_queryset(self):
        from accounts.policy import active_memberships

        services = [m.organisation_id for m in active_memberships(self.request.user)]
        return (
            Contact.objects.filter(case__in=Case.objects.visible_to(self.request.user))
            .filter(case__service__in=services)
            .select_related("case")
            .order_by("-date", "-id")
        )

"""Deadlines in the API: the user's own, and every time limit of a record they may see, by
``?referral=``, ``?exclusion=``, ``?timetable=`` or ``?psp=``. A school reads the
gateway's clock for allocating its referral, and the statutory steps of its exclusions."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from audit.api import LogsPupilReads
from config.errors import DomainError
from deadlines.models import Deadline
from pupils.api import IDENTIFIER_JOINS, IDENTIFIERS, Identifiers

# A record whose time limits may be read by whoever may see the record (its model's
# ``visible_to``); named here by app label so this lower app imports none of them.
SUBJECTS = {
    "referral": "referrals.Referral",
    "exclusion": "exclusions.Exclusion",
    "timetable": "plans.PartTimeTimetable",
    "psp": "plans.PastoralSupportPlan",
}


class DeadlineSerializer(Identifiers, serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code")
    subject = serializers.SerializerMethodField(
        help_text="What the limit is about: referral, exclusion, timetable, psp, or another "
        "record of the service's, like case"
    )

    class Meta:
        model = Deadline
        fields = ["id", "kind", "title", "subject", "subject_id", "start_date", "due_date",
                  "counting_note", "provisional", "status", "pupil",
                  *IDENTIFIERS]  # fmt: skip

    def get_subject(self, deadline) -> str:
        label = f"{deadline.subject_type.app_label}.{deadline.subject_type.model}"
        names = {path.lower(): name for name, path in SUBJECTS.items()}
        return names.get(label, deadline.subject_type.model)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(name, int, description=f"The time limits of this {name} (its id)")
            for name in SUBJECTS
        ]
    )
)
class DeadlineViewSet(LogsPupilReads, viewsets.ReadOnlyModelViewSet):
    serializer_class = DeadlineSerializer
    filterset_fields = ["status"]
    ordering_fields = ["due_date", "id"]
    extra_parameters = tuple(SUBJECTS)

    def get_queryset(self):
        return (
            self._readable()
            .select_related("kind", "subject_type", *IDENTIFIER_JOINS)
            .order_by("due_date", "id")
        )

    def _readable(self):
        """The user's own deadlines, or, asked for one record's, all of that record's if the
        user may see the record (none otherwise)."""
        asked = [name for name in SUBJECTS if name in self.request.query_params]
        if not asked:
            return Deadline.objects.visible_to(self.request.user)
        if len(asked) > 1:
            raise DomainError(
                f"Ask for one record's deadlines at a time, not {' and '.join(asked)}.",
                field=asked[1], code="one_subject",
            )  # fmt: skip
        name = asked[0]
        text = self.request.query_params[name]
        if not text.isdigit():
            raise serializers.ValidationError({name: f"Give the {name}'s id, a number"})
        model = apps.get_model(SUBJECTS[name])
        if not model.objects.visible_to(self.request.user).filter(pk=int(text)).exists():
            return Deadline.objects.none()
        return Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(model), subject_id=int(text)
        )

"""Deadlines in the API: the user's own, and every time limit of a record they may see, by
``?referral=``, ``?exclusion=``, ``?timetable=`` or ``?psp=``. A school reads the
gateway's clock for allocating its referral, and the statutory steps of its exclusions."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from audit.api import LogsPupilReads
from config.api import created, creates
from config.errors import DomainError
from deadlines import services
from deadlines.models import Deadline, WebhookEndpoint
from pupils.api import IDENTIFIER_JOINS, IDENTIFIERS, Identifiers

# A record whose time limits may be read by whoever may see the record (its model's
# ``visible_to``); named by app label so this lower app imports none of them.
SUBJECTS = {name: label for label, name in services.webhooks.API_RECORDS.items()}


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
        model = deadline.subject_type.model_class()
        return services.webhooks.record_kind(model) or deadline.subject_type.model


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


class WebhookSerializer(serializers.ModelSerializer):
    school_urn = serializers.CharField(source="school.urn", read_only=True)

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "school_urn", "created_at", "updated_at"]


class WebhookRegistered(WebhookSerializer):
    secret = serializers.SerializerMethodField(
        help_text="Signs every event: keep it secret. Shown this once."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]

    def get_secret(self, endpoint) -> str:
        return self.context["secret"]


class WebhookRegistration(serializers.Serializer):
    url = serializers.URLField(
        max_length=500, help_text="Where to send events: an https address of your system"
    )
    school_urn = serializers.CharField(
        required=False, max_length=6,
        help_text="The URN of your school. Left out: the school the token acts for.",
    )  # fmt: skip


class WebhookViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.DestroyModelMixin, viewsets.GenericViewSet,
):  # fmt: skip
    """A school's system registers where it is told of changes to its school's records."""

    serializer_class = WebhookSerializer
    filterset_fields = []

    def get_queryset(self):
        from accounts.policy import school_staff_organisations

        return (
            WebhookEndpoint.objects.filter(
                school__organisation__in=school_staff_organisations(self.request.user),
                revoked_at__isnull=True,
            )
            .select_related("school")
            .order_by("-pk")
        )

    def get_serializer_class(self):
        return WebhookRegistration if self.action == "create" else WebhookSerializer

    @creates(WebhookRegistration, WebhookRegistered, what="webhook")
    def create(self, request, *args, **kwargs):
        from pupils.api import acting_schools, with_urn

        schools = acting_schools(request, action="register webhooks")
        sent = WebhookRegistration(data=request.data)
        sent.is_valid(raise_exception=True)
        chosen = with_urn(schools, sent.validated_data.get("school_urn"))
        endpoint, secret = services.register_webhook(
            request.user, school=chosen[0], url=sent.validated_data["url"]
        )
        return created(endpoint, WebhookRegistered, "api:webhook-detail", secret=secret)

    def perform_destroy(self, endpoint):
        services.revoke_webhook(self.request.user, endpoint)

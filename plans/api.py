"""Plans in the API: read for everyone who may see them, and part-time timetables notified
by a school's system through the same service as form PT1."""

from rest_framework import mixins, serializers, viewsets

from audit.api import LogsPupilReads
from config.api import RealDateField, created, creates, idempotent
from plans import services
from plans.models import (
    BehaviourImprovementPlan,
    PartTimeTimetable,
    PastoralSupportPlan,
    PepMeeting,
    RiskAssessment,
    Target,
)
from pupils.api import (
    IDENTIFIER_JOINS,
    IDENTIFIERS,
    Identifiers,
    SchoolNotice,
    deadlines_link,
    school_notice,
)


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["description", "strategies", "who_does_what", "success_measure"]


class PspSerializer(Identifiers, serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)
    deadlines = deadlines_link("psp")

    class Meta:
        model = PastoralSupportPlan
        fields = ["id", "pupil", "school", "start_date", "planned_weeks", "next_review_date",
                  "status", "targets", "deadlines", *IDENTIFIERS]  # fmt: skip


class BipSerializer(Identifiers, serializers.ModelSerializer):
    class Meta:
        model = BehaviourImprovementPlan
        fields = ["id", "case", "pupil", "school", "understanding_of_needs", "strategies",
                  "targets", "who_does_what", "next_review_date",
                  "handed_to_school_on", *IDENTIFIERS]  # fmt: skip


class TimetableSerializer(Identifiers, serializers.ModelSerializer):
    deadlines = deadlines_link("timetable")

    class Meta:
        model = PartTimeTimetable
        fields = ["id", "external_id", "pupil", "school", "reason", "hours_per_week",
                  "start_date", "end_date", "return_plan", "next_review_date",
                  "consent_given_by", "consent_given_on", "status", "deadlines",
                  *IDENTIFIERS]  # fmt: skip
        read_only_fields = ["id", "school", "status"]


class RiskAssessmentSerializer(Identifiers, serializers.ModelSerializer):
    class Meta:
        model = RiskAssessment
        fields = ["id", "pupil", "school", "triggers", "early_signs", "de_escalation",
                  "support_measures", "review_date", "shared_with_pupil_on",
                  "shared_with_parents_on", "shared_with_staff_on", *IDENTIFIERS]  # fmt: skip


class PepMeetingSerializer(Identifiers, serializers.ModelSerializer):
    class Meta:
        model = PepMeeting
        fields = ["id", "pupil", "school", "date", "attendees", "targets", *IDENTIFIERS]


class TimetableNotification(SchoolNotice):
    """What a school's system sends: the fields of form PT1."""

    reason = serializers.CharField()
    hours_per_week = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0)
    start_date = RealDateField(name="the start date")
    end_date = RealDateField(name="the end date")
    return_plan = serializers.CharField()
    next_review_date = RealDateField(name="the first review date")
    consent_given_by = serializers.CharField(max_length=150)
    consent_given_on = RealDateField(name="the date consent was given")


class PlanViewSet(LogsPupilReads, viewsets.ReadOnlyModelViewSet):
    """A kind of plan the user may see, newest first."""

    model = None
    filterset_fields = ["pupil"]

    def get_queryset(self):
        return (
            self.model.objects.visible_to(self.request.user)
            .select_related(*IDENTIFIER_JOINS)
            .order_by("-pk")
        )


class PspViewSet(PlanViewSet):
    model = PastoralSupportPlan
    serializer_class = PspSerializer
    filterset_fields = ["pupil", "status"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("targets")


class BipViewSet(PlanViewSet):
    model = BehaviourImprovementPlan
    serializer_class = BipSerializer


class RiskAssessmentViewSet(PlanViewSet):
    model = RiskAssessment
    serializer_class = RiskAssessmentSerializer


class PepMeetingViewSet(PlanViewSet):
    model = PepMeeting
    serializer_class = PepMeetingSerializer


class TimetableViewSet(mixins.CreateModelMixin, PlanViewSet):
    model = PartTimeTimetable
    filterset_fields = ["pupil", "status"]

    def get_serializer_class(self):
        return TimetableNotification if self.action == "create" else TimetableSerializer

    @idempotent
    @creates(TimetableNotification, TimetableSerializer, what="part-time timetable")
    def create(self, request, *args, **kwargs):
        school, pupil, fields = school_notice(
            request, TimetableNotification, action="notify part-time timetables"
        )
        timetable = services.notify_part_time_timetable(
            request.user, pupil=pupil, school=school, **fields
        )
        return created(timetable, TimetableSerializer, "api:timetable-detail")

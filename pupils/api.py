from rest_framework import exceptions, serializers, viewsets

from audit.api import LogsPupilReads
from config.errors import DomainError
from pupils.models import Enrolment, Pupil


class PupilSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pupil
        fields = [
            "id", "upn", "legal_first_name", "legal_last_name", "preferred_first_name",
            "date_of_birth", "gender", "care_status", "sen_status", "pupil_premium",
        ]  # fmt: skip


class PupilViewSet(LogsPupilReads, viewsets.ReadOnlyModelViewSet):
    serializer_class = PupilSerializer
    pupil_field = "pk"
    filterset_fields = ["care_status", "sen_status", "upn"]
    ordering_fields = ["legal_last_name", "id"]

    def get_queryset(self):
        return Pupil.objects.visible_to(self.request.user).order_by("legal_last_name", "id")


def acting_schools(user, *, action: str) -> list:
    """The schools a school's system may act for: its user's. Any other role may read but not
    send, and is told so with a 403 before its body is looked at."""
    from accounts.models import Role
    from accounts.policy import active_memberships

    schools = [m.organisation.school for m in active_memberships(user)
               if m.role == Role.SCHOOL_STAFF]  # fmt: skip
    if not schools:
        raise exceptions.PermissionDenied(f"Only school staff {action}.")
    return schools


def pupil_on_roll(user, pupil_id, schools) -> tuple[Pupil, object]:
    """The pupil, and the one of the user's schools they are on roll at now, or a 400 on the
    field, worded as the form words it. A member of staff at two schools acts for the pupil's
    own, never the other one."""
    enrolment = (
        Enrolment.objects.current()
        .filter(pupil__in=Pupil.objects.visible_to(user), pupil_id=pupil_id, school__in=schools)
        .select_related("pupil", "school__organisation")
        .first()
    )
    if enrolment is None:
        raise DomainError("No pupil with that id on your roll.", field="pupil", code="not_on_roll")
    return enrolment.pupil, enrolment.school


def school_notice(request, serializer_class, *, action: str):
    """What a school's system sends (a referral, an exclusion notice, a part-time timetable):
    the school it acts for (a 403 for any other role, before the body is read), the body checked
    by ``serializer_class``, and the pupil it names on the roll of one of the user's schools.
    Returns ``(school, pupil, fields)`` with the pupil's id taken out of the fields."""
    schools = acting_schools(request.user, action=action)
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    fields = dict(data.validated_data)
    pupil, school = pupil_on_roll(request.user, fields.pop("pupil"), schools)
    return school, pupil, fields

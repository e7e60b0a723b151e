from rest_framework import exceptions, serializers, viewsets

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


def acting_school(user, *, action: str):
    """The school a school's system acts for: its user's school. Any other role may read but
    not send, and is told so with a 403 before its body is looked at."""
    from accounts.models import Role
    from accounts.policy import active_memberships

    membership = next((m for m in active_memberships(user) if m.role == Role.SCHOOL_STAFF), None)
    if membership is None:
        raise exceptions.PermissionDenied(f"Only school staff {action}.")
    return membership.organisation.school


def pupil_on_roll(user, pupil_id) -> Pupil:
    """A pupil the sending user may see, or a 400 on the field, worded as the form words it."""
    pupil = Pupil.objects.visible_to(user).filter(pk=pupil_id).first()
    if pupil is None:
        raise serializers.ValidationError({"pupil": "No pupil with that id on your roll."})
    return pupil


def school_notice(request, serializer_class, *, action: str):
    """What a school's system sends (a referral, an exclusion notice, a part-time timetable):
    the school it acts for (a 403 for any other role, before the body is read), the body checked
    by ``serializer_class``, and the pupil it names on the user's roll. Returns
    ``(school, pupil, fields)`` with the pupil's id taken out of the fields."""
    school = acting_school(request.user, action=action)
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    fields = dict(data.validated_data)
    return school, pupil_on_roll(request.user, fields.pop("pupil")), fields

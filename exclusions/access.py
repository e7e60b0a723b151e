"""Who reads suspensions and exclusions."""

from django.db.models import Q

from accounts.models import Role
from accounts.policy import NOTHING, active_memberships, organisations_with_role
from pupils.access import involved_with_pupil, virtual_school_cohort


def exclusion_filter(user) -> Q:
    """Exclusions are seen by the pupil's school, by the authority's exclusions officers (the
    register of every exclusion of its schools), by the virtual school for looked-after and
    previously looked-after pupils (seed 002), and by services working with the pupil (the
    behaviour officer supporting the parent, seed 004)."""

    memberships = active_memberships(user)
    if not memberships:
        return NOTHING
    combined = involved_with_pupil(memberships)
    schools = organisations_with_role(memberships, Role.SCHOOL_STAFF)
    if schools:
        combined |= Q(school__organisation__in=schools)
    officers = organisations_with_role(memberships, Role.EXCLUSIONS_OFFICER, Role.LA_MANAGER)
    if officers:
        combined |= Q(school__organisation__local_authority__in=officers)
    combined |= virtual_school_cohort(memberships)
    return combined


def notifiable_pupils(user):
    """Pupils the user may notify a suspension or exclusion for: those on roll at their own
    school (school staff), or at any school of their authority (its exclusions officers, who
    record what a school phones in)."""
    from pupils.models import Pupil

    memberships = active_memberships(user)
    schools = organisations_with_role(memberships, Role.SCHOOL_STAFF)
    officers = organisations_with_role(memberships, Role.EXCLUSIONS_OFFICER)
    on_roll = Q(
        enrolments__end_date__isnull=True, enrolments__school__organisation__in=schools
    ) | Q(
        enrolments__end_date__isnull=True,
        enrolments__school__organisation__local_authority__in=officers,
    )
    if not schools and not officers:
        return Pupil.objects.none()
    return Pupil.objects.filter(on_roll).distinct()

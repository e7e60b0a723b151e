"""Reads of pupils that depend on who asks, beside the services that change them."""

from django.db.models import Exists, OuterRef, Q

from pupils.models import Enrolment, Pupil


def pupils_for_care_record(user):
    """The children whose care status a virtual school officer may record (seed 002): those on
    roll at a school of their authority, and those their authority looks after or looked after
    wherever they are at school. The officer finds one by UPN and date of birth, and sees their
    name and care status only: the rest of the pupil's record opens to the virtual school when
    the child joins its cohort (``pupils.access.virtual_school_cohort``)."""
    from accounts.policy import virtual_school_authority_ids

    authorities = virtual_school_authority_ids(user)
    if not authorities:
        return Pupil.objects.none()
    at_our_school = Enrolment.objects.current().filter(
        pupil=OuterRef("pk"), school__organisation__local_authority__in=authorities
    )
    return Pupil.objects.filter(Q(Exists(at_our_school)) | Q(looked_after_by__in=authorities))

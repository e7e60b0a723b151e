"""Reads of deadlines that pages, the API and other apps' services share."""

from django.contrib.contenttypes.models import ContentType

from deadlines.models import Deadline


def deadlines_of(subject, kind_code: str | None = None):
    """Every deadline of one subject (of one kind, if given), whatever its status: never
    another record's. ``get_for_model`` is cached after its first call."""
    deadlines = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
    return deadlines if kind_code is None else deadlines.filter(kind__code=kind_code)


def live_for(subject, kind_code: str | None = None):
    """The live (open or missed) deadlines of one subject, of one kind if given."""
    return deadlines_of(subject, kind_code).live()


def live_deadline(subject, kind_code: str) -> Deadline | None:
    """The live deadline of ``kind_code`` on ``subject`` (an allocation clock, a review
    window), or ``None``."""
    return live_for(subject, kind_code).order_by("pk").first()

"""The exclusions officer's morning: the suspensions and exclusions notified today (the 2012
Regulations, regulations 5, 14 and 23: the head tells the local authority of each, and the
authority's officer follows its statutory steps from that day; see :mod:`exclusions.rules`)."""

import datetime

from django.utils import timezone

from accounts.models import Role
from audit.reads import note_read
from exclusions.models import Exclusion


def home_page(request, membership) -> dict:
    if membership.role != Role.EXCLUSIONS_OFFICER:
        return {}
    today = timezone.localdate()
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    notified = list(
        Exclusion.objects.visible_to(request.user)
        .filter(created_at__gte=midnight)
        .select_related("pupil", "school")
        .order_by("-created_at", "-pk")[:50]
    )
    note_read(request, [e.pupil_id for e in notified], "home page")
    return {"notified_today": notified}

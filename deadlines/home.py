"""What is due this week, on the home page of everyone who owns deadlines: agreed actions
(form B/ex4) with "mark done", reviews, and the statutory steps of an exclusion."""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.policy import manages_a_team
from audit.reads import note_read
from deadlines.access import own_deadline_filter
from deadlines.calendar import calendars_for
from deadlines.codes import KindCode
from deadlines.models import Deadline
from deadlines.selectors import overdue_by

SHOWN = 15
NO_DEADLINES = {Role.LA_ADMINISTRATOR, Role.LA_MANAGER}


def end_of_week(today: datetime.date) -> datetime.date:
    """The Sunday that ends this week."""
    return today + datetime.timedelta(days=6 - today.weekday())


def home_page(request, membership) -> dict:
    if membership.role in NO_DEADLINES:
        return {}
    user, today = request.user, timezone.localdate()
    sunday = end_of_week(today)
    this_week = Deadline.objects.visible_to(user).live().filter(due_date__lte=sunday)
    mine = this_week.filter(own_deadline_filter(user))
    rows = list(
        mine.select_related("kind", "school__organisation", "owner_user").order_by(
            "due_date", "pk"
        )[: SHOWN + 1]
    )
    more = len(rows) > SHOWN
    rows = rows[:SHOWN]
    calendars = calendars_for({d.school_id: d.school for d in rows if d.school_id}.values())
    for deadline in rows:
        deadline.overdue_by = overdue_by(deadline, today, calendars)
        deadline.can_mark_done = deadline.kind.code == KindCode.ACTION and (
            deadline.owner_user_id == user.pk
        )
    note_read(request, [d.pupil_id for d in rows], "home page")
    context = {
        "due": {
            "rows": rows,
            "more": more,
            "until": sunday,
            "today": today,
            "url": reverse("deadlines:mine"),
        }
    }
    if membership.role == Role.SERVICE_MANAGER and manages_a_team(user):
        context["team_due"] = {
            "count": this_week.count(),
            "url": f"{reverse('deadlines:mine')}?show=team",
        }
    return context

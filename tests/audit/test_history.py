import datetime

import pghistory.models
import pytest

from accounts.models import Role
from pupils import services
from pupils.models import CareStatus
from tests.pupils.factories import SchoolFactory, pupil_at

pytestmark = pytest.mark.django_db


def test_a_service_change_is_recorded_with_its_actor(member, authority):
    school = SchoolFactory(organisation__local_authority=authority)
    pupil = pupil_at(school)
    actor = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    services.change_care_status(
        actor, pupil, status=CareStatus.LOOKED_AFTER, start_date=datetime.date(2026, 10, 1)
    )
    events = pghistory.models.Events.objects.tracks(pupil).filter(pgh_label="update")
    last = events.order_by("-pgh_created_at").first()
    assert last.pgh_data["care_status"] == CareStatus.LOOKED_AFTER
    assert last.pgh_context["user"] == actor.pk
    assert last.pgh_context["action"] == "change_care_status"


def test_care_status_history_keeps_dates(member, authority):
    pupil = pupil_at(SchoolFactory())
    actor = member(Role.VIRTUAL_SCHOOL_OFFICER)
    services.change_care_status(
        actor, pupil, status=CareStatus.LOOKED_AFTER, start_date=datetime.date(2025, 1, 10)
    )
    services.change_care_status(
        actor,
        pupil,
        status=CareStatus.PREVIOUSLY_LOOKED_AFTER,
        start_date=datetime.date(2026, 2, 1),
    )
    episodes = list(pupil.care_episodes.order_by("start_date").values_list("status", "end_date"))
    assert episodes == [
        (CareStatus.LOOKED_AFTER, datetime.date(2026, 1, 31)),
        (CareStatus.PREVIOUSLY_LOOKED_AFTER, None),
    ]
    pupil.refresh_from_db()
    assert pupil.care_status == CareStatus.PREVIOUSLY_LOOKED_AFTER


def test_a_care_status_cannot_start_before_the_current_one(member):
    from config.errors import DomainError

    pupil = pupil_at(SchoolFactory())
    actor = member(Role.VIRTUAL_SCHOOL_OFFICER)
    services.change_care_status(
        actor, pupil, status=CareStatus.LOOKED_AFTER, start_date=datetime.date(2026, 1, 10)
    )
    with pytest.raises(DomainError, match="must start after 10 January 2026"):
        services.change_care_status(
            actor, pupil, status=CareStatus.NONE, start_date=datetime.date(2025, 12, 1)
        )

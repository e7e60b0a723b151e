import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from pupils import services
from pupils.models import CareStatus, Relationship, SenStatus
from tests.pupils.factories import SchoolFactory, pupil_at

pytestmark = pytest.mark.django_db


def test_pupil_page_shows_summary_care_sen_history_contacts_and_an_empty_timeline(
    client_for, member, authority
):
    school = SchoolFactory(organisation__local_authority=authority, name="Oakwood Primary School")
    pupil = pupil_at(
        school,
        legal_first_name="Jayden",
        legal_last_name="Price",
        date_of_birth=datetime.date(2015, 9, 1),
        sen_status=SenStatus.EHCP,
        sen_primary_need="SEMH",
    )
    actor = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    services.change_care_status(
        actor, pupil, status=CareStatus.CHILD_IN_NEED, start_date=datetime.date(2026, 5, 1)
    )
    services.add_pupil_contact(
        actor, pupil, relationship=Relationship.SOCIAL_WORKER, name="Dee Harper", phone="0161 000"
    )
    html = client_for(actor).get(reverse("pupils:detail", args=[pupil.pk])).content.decode()
    for text in [
        "Jayden Price",
        pupil.upn,
        "1 September 2015",
        "Child in need plan (has a social worker)",
        "Education, health and care plan (EHCP)",
        "Social, emotional and mental health",
        "Oakwood Primary School",
        "On roll",
        "Dee Harper",
        "Social worker",
        'data-testid="timeline"',
    ]:
        assert text in html


def test_register_pupil_refuses_an_invalid_upn(member, authority):
    from config.errors import DomainError

    school = SchoolFactory(organisation__local_authority=authority)
    with pytest.raises(DomainError) as error:
        services.register_pupil(
            member(Role.SCHOOL_STAFF, organisation=school.organisation),
            school=school,
            enrolled_on=datetime.date(2026, 9, 1),
            upn="A801200005001",
            legal_first_name="Ann",
            legal_last_name="Lee",
            date_of_birth=datetime.date(2015, 1, 1),
            gender="F",
        )
    assert "upn" in {each.field for each in error.value.every}

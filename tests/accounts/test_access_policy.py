import re

import pytest
from django.urls import reverse

from accounts.models import Role
from pupils.models import Pupil, School
from tests.pupils.factories import (
    EnrolmentEndedFactory,
    LookedAfterPupilFactory,
    PreviouslyLookedAfterPupilFactory,
    PupilFactory,
    SchoolFactory,
    pupil_at,
)

pytestmark = pytest.mark.django_db


def without_csrf_token(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


@pytest.fixture
def two_schools(authority):
    return SchoolFactory(organisation__local_authority=authority), SchoolFactory(
        organisation__local_authority=authority
    )


def test_school_staff_see_their_own_pupils(client_for, member, two_schools):
    school_a, _ = two_schools
    pupil = pupil_at(school_a)
    user = member(Role.SCHOOL_STAFF, organisation=school_a.organisation)
    assert list(Pupil.objects.visible_to(user)) == [pupil]
    assert client_for(user).get(reverse("pupils:detail", args=[pupil.pk])).status_code == 200


def test_user_of_school_a_gets_404_for_a_pupil_of_school_b(client_for, member, two_schools):
    school_a, school_b = two_schools
    pupil_b = pupil_at(school_b)
    user = member(Role.SCHOOL_STAFF, organisation=school_a.organisation)
    response = client_for(user).get(reverse("pupils:detail", args=[pupil_b.pk]))
    assert response.status_code == 404
    assert not Pupil.objects.visible_to(user).filter(pk=pupil_b.pk).exists()


def test_missing_and_forbidden_pupils_answer_the_same(client_for, member, two_schools):
    school_a, school_b = two_schools
    pupil_b = pupil_at(school_b)
    client = client_for(member(Role.SCHOOL_STAFF, organisation=school_a.organisation))
    forbidden = client.get(reverse("pupils:detail", args=[pupil_b.pk]))
    missing = client.get(reverse("pupils:detail", args=[pupil_b.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert without_csrf_token(forbidden.content) == without_csrf_token(missing.content)


def test_a_pupil_who_left_is_no_longer_visible_to_the_old_school(member, two_schools):
    school_a, _ = two_schools
    pupil = PupilFactory()
    EnrolmentEndedFactory(pupil=pupil, school=school_a)
    user = member(Role.SCHOOL_STAFF, organisation=school_a.organisation)
    assert not Pupil.objects.visible_to(user).exists()


def test_senco_of_two_schools_sees_both(member, two_schools):
    from tests.accounts.factories import MembershipFactory

    school_a, school_b = two_schools
    pupils = {pupil_at(school_a), pupil_at(school_b)}
    user = member(Role.SCHOOL_STAFF, organisation=school_a.organisation)
    MembershipFactory(user=user, organisation=school_b.organisation, role=Role.SCHOOL_STAFF)
    user._active_memberships = None
    assert set(Pupil.objects.visible_to(user)) == pupils


def test_virtual_school_sees_its_own_authoritys_looked_after_children_at_any_school(
    client_for, member, authority
):
    """Seed 002: the virtual school follows the children its authority looks after, at a school
    of any authority, and the looked-after children at its own schools; never another
    authority's children at another authority's school."""
    ours = SchoolFactory(organisation__local_authority=authority)
    other_authority_school = SchoolFactory()  # a school of another authority
    looked_after = pupil_at(ours, LookedAfterPupilFactory)
    previously = pupil_at(ours, PreviouslyLookedAfterPupilFactory)
    placed_away = pupil_at(
        other_authority_school, LookedAfterPupilFactory, looked_after_by=authority
    )
    theirs = pupil_at(other_authority_school, LookedAfterPupilFactory)
    ordinary = pupil_at(ours)
    officer = member(Role.VIRTUAL_SCHOOL_OFFICER)
    assert set(Pupil.objects.visible_to(officer)) == {looked_after, previously, placed_away}
    client = client_for(officer)
    assert client.get(reverse("pupils:detail", args=[placed_away.pk])).status_code == 200
    for hidden in (ordinary, theirs):
        assert client.get(reverse("pupils:detail", args=[hidden.pk])).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.LA_ADMINISTRATOR, Role.CASEWORKER, Role.GATEWAY_SCREENER, Role.SERVICE_MANAGER]
)
def test_roles_without_a_link_to_the_pupil_see_no_pupils(client_for, member, two_schools, role):
    """Service and gateway staff see pupils once a referral or case links them (later issues);
    an LA administrator never sees pupil detail."""
    pupil = pupil_at(two_schools[0], LookedAfterPupilFactory)
    user = member(role)
    assert not Pupil.objects.visible_to(user).exists()
    assert client_for(user).get(reverse("pupils:detail", args=[pupil.pk])).status_code == 404


def test_a_registered_rule_extends_the_policy(member, two_schools):
    """Later apps add rules (a referral with the user's service) through register_pupil_rule."""
    from django.db.models import Q

    from accounts import policy
    from pupils import access

    pupil = pupil_at(two_schools[0])
    user = member(Role.CASEWORKER)
    service_id = user.memberships.get().organisation_id

    def pupils_named_for_service(memberships):
        if any(m.organisation_id == service_id for m in memberships):
            return Q(pk=pupil.pk)
        return policy.NOTHING

    access.register_pupil_rule(pupils_named_for_service)
    try:
        assert list(Pupil.objects.visible_to(user)) == [pupil]
    finally:
        access._pupil_rules.remove(pupils_named_for_service)


def test_ended_membership_gives_no_access(member, two_schools):
    from django.utils import timezone

    school_a, _ = two_schools
    pupil_at(school_a)
    user = member(Role.SCHOOL_STAFF, organisation=school_a.organisation)
    user.memberships.update(ended_at=timezone.now())
    assert not Pupil.objects.visible_to(user).exists()


def test_anonymous_sees_nothing(two_schools):
    from django.contrib.auth.models import AnonymousUser

    pupil_at(two_schools[0])
    assert not Pupil.objects.visible_to(AnonymousUser()).exists()
    assert not School.objects.visible_to(AnonymousUser()).exists()


def test_school_directory_is_per_authority(member, two_schools):
    SchoolFactory()  # another authority's school
    user = member(Role.CASEWORKER)
    assert set(School.objects.visible_to(user)) == set(two_schools)

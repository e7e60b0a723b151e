"""Option lists kept in Redis (``config.choices``): the same rows as the database, read again
the moment a school, organisation or referral type changes, never shared between users whose
lists differ, and never trusted when a form comes back."""

import pytest

from accounts.models import Role
from config.choices import cached_choices
from pupils.models import School
from referrals.forms import QueueFilterForm
from tests.accounts.factories import (
    GatewayFactory,
    LocalAuthorityFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.pupils.factories import SchoolFactory
from tests.referrals.factories import ReferralTypeFactory

pytestmark = pytest.mark.django_db


def screener_at(authority):
    gateway = GatewayFactory(local_authority=authority)
    return MembershipFactory(organisation=gateway, role=Role.GATEWAY_SCREENER).user


def schools_of(user):
    return cached_choices(School.objects.visible_to(user).order_by("name"))


def test_the_list_is_the_databases_and_a_second_read_costs_no_query(
    django_assert_num_queries,
):
    school = SchoolFactory(name="Abbey Road Primary")
    SchoolFactory(
        name="Zetland Academy", organisation__local_authority=school.organisation.local_authority
    )
    user = screener_at(school.organisation.local_authority)
    first = schools_of(user)
    assert [name for _, name in first] == ["Abbey Road Primary", "Zetland Academy"]
    with django_assert_num_queries(0):
        assert schools_of(user) == first


def test_a_renamed_added_or_removed_school_is_seen_on_the_next_read():
    school = SchoolFactory(name="Abbey Road Primary")
    authority = school.organisation.local_authority
    user = screener_at(authority)
    schools_of(user)
    school.name = "Abbey Road Primary Academy"
    school.save()
    assert [name for _, name in schools_of(user)] == ["Abbey Road Primary Academy"]
    newer = SchoolFactory(name="Beacon Hill School", organisation__local_authority=authority)
    assert [pk for pk, _ in schools_of(user)] == [school.pk, newer.pk]
    newer.delete()
    assert [pk for pk, _ in schools_of(user)] == [school.pk]


def test_users_whose_lists_differ_never_share_one():
    ours = SchoolFactory(name="Abbey Road Primary")
    theirs = SchoolFactory(name="Other Borough School")
    us = screener_at(ours.organisation.local_authority)
    them = screener_at(theirs.organisation.local_authority)
    assert [pk for pk, _ in schools_of(us)] == [ours.pk]
    assert [pk for pk, _ in schools_of(them)] == [theirs.pk]


def test_a_renamed_referral_type_shows_in_the_queue_filter():
    school = SchoolFactory()
    authority = school.organisation.local_authority
    referral_type = ReferralTypeFactory(
        service=OrganisationFactory(local_authority=authority), name="Form A"
    )
    user = screener_at(authority)
    assert "Form A" in str(QueueFilterForm(user).render())
    referral_type.name = "Form A: behaviour support"
    referral_type.save()
    html = str(QueueFilterForm(user).render())
    assert "Form A: behaviour support" in html


def test_a_school_sent_back_is_checked_against_the_database_not_the_kept_list():
    """A school moved to another authority without a signal (a bulk update) may still show in
    a kept list for up to ten minutes, but choosing it is refused."""
    school = SchoolFactory(name="Abbey Road Primary")
    user = screener_at(school.organisation.local_authority)
    assert str(school.pk) in str(QueueFilterForm(user).render())
    other = LocalAuthorityFactory()  # an organisation saved: lists are read again
    assert str(school.pk) in str(QueueFilterForm(user).render())
    type(school.organisation).objects.filter(pk=school.organisation_id).update(
        local_authority=other
    )
    form = QueueFilterForm(user, data={"school": str(school.pk)})
    assert str(school.pk) in str(form.render())  # the kept list, not yet read again
    assert not form.is_valid()
    assert "school" in form.errors


def test_a_kept_name_is_escaped_once_on_the_page():
    school = SchoolFactory(name="St Mary & St John <C of E>")
    user = screener_at(school.organisation.local_authority)
    for _ in range(2):  # read from the database, then from the cache
        html = str(QueueFilterForm(user).render())
        assert f'<option value="{school.pk}">St Mary &amp; St John &lt;C of E&gt;</option>' in html


def test_the_queue_filter_keeps_each_authoritys_lists_apart(django_assert_num_queries):
    """The queue filter's lists are kept under the user's authorities, which alone decide
    them: a screener of another authority sees their own schools, services and forms, and a
    list found in the cache costs no query."""
    ours = SchoolFactory(name="Abbey Road Primary")
    theirs = SchoolFactory(name="Other Borough School")
    our_form = ReferralTypeFactory(
        service=OrganisationFactory(local_authority=ours.organisation.local_authority),
        name="Our form",
    )
    us = screener_at(ours.organisation.local_authority)
    them = screener_at(theirs.organisation.local_authority)

    def offered(user, field):
        return [value for value, _ in QueueFilterForm(user).fields[field].choices if value]

    for _ in range(2):  # from the database, then from the cache
        assert offered(us, "school") == [ours.pk]
        assert offered(them, "school") == [theirs.pk]
        assert offered(us, "referral_type") == [our_form.pk]
        assert offered(them, "referral_type") == []
        assert offered(us, "service") == [our_form.service_id]
    with django_assert_num_queries(0):
        str(QueueFilterForm(us).render())


def test_an_entry_of_another_shape_is_read_again_not_an_error():
    """An entry kept by an earlier release, or damaged, is replaced, never unpacked into a
    500."""
    import hashlib

    from django.core.cache import cache

    from config.choices import FORMAT, GENERATION

    school = SchoolFactory(name="Abbey Road Primary")
    schools = School.objects.filter(pk=school.pk)
    identity = f"pupils.School|name|{('test',)!r}"
    key = f"choices:{FORMAT}:" + hashlib.sha1(identity.encode()).hexdigest()
    cache.set(key, (cache.get(GENERATION, 0), [(school.pk, "Abbey Road Primary")]))
    assert cached_choices(schools, key=("test",)) == [(school.pk, "Abbey Road Primary")]
    assert cache.get(key)[0] == cache.get(GENERATION, 0)  # written again in today's shape


def test_the_queue_filter_is_rendered_once_and_again_when_a_school_changes(
    django_assert_num_queries,
):
    from config.choices import kept_form_html

    school = SchoolFactory(name="Abbey Road Primary")
    user = screener_at(school.organisation.local_authority)
    form = QueueFilterForm(user)
    first = kept_form_html(form, form.choices_key)
    assert first == str(QueueFilterForm(user).render())
    with django_assert_num_queries(0):
        again = QueueFilterForm(user)
        assert kept_form_html(again, again.choices_key) == first
    school.name = "Abbey Road Primary Academy"
    school.save()
    renamed = QueueFilterForm(user)
    assert "Abbey Road Primary Academy" in kept_form_html(renamed, renamed.choices_key)


def test_a_filter_with_values_chosen_is_rendered_afresh():
    from config.choices import kept_form_html

    school = SchoolFactory(name="Abbey Road Primary")
    user = screener_at(school.organisation.local_authority)
    form = QueueFilterForm(user)
    kept_form_html(form, form.choices_key)
    chosen = QueueFilterForm(user, data={"school": str(school.pk), "status": "all"})
    html = kept_form_html(chosen, chosen.choices_key)
    assert f'<option value="{school.pk}" selected>' in html
    assert '<option value="all" selected>' in html


def test_a_redis_that_lost_the_generation_never_brings_back_an_old_form():
    """Redis restarted empty: the generation starts again from the clock, not from a number a
    form was kept under before, so the renamed school still shows."""
    from django.core.cache import cache

    from config.choices import GENERATION, kept_form_html

    school = SchoolFactory(name="Abbey Road Primary")
    user = screener_at(school.organisation.local_authority)
    cache.delete(GENERATION)
    form = QueueFilterForm(user)
    assert "Abbey Road Primary<" in kept_form_html(form, form.choices_key)
    school.name = "Abbey Road Academy"
    school.save()
    cache.delete(GENERATION)  # lost with everything else
    form = QueueFilterForm(user)
    html = kept_form_html(form, form.choices_key)
    assert "Abbey Road Academy" in html and "Abbey Road Primary<" not in html


def test_the_register_offers_each_officer_their_own_authoritys_schools(member, client_for):
    from django.urls import reverse

    ours, theirs = SchoolFactory(name="Abbey Road Primary"), SchoolFactory(name="Elsewhere High")
    for school, other in ((ours, theirs), (theirs, ours)):
        officer = member(Role.EXCLUSIONS_OFFICER, organisation=school.organisation.local_authority)
        for _ in range(2):  # from the database, then from the cache
            html = client_for(officer).get(reverse("exclusions:register")).content.decode()
            assert f'<option value="{school.pk}">{school.name}</option>' in html
            assert f'value="{other.pk}">' not in html

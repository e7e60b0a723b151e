import datetime

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Role
from pupils.models import Pupil
from pupils.search import search_pupils
from tests.pupils.factories import SchoolFactory, pupil_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(authority):
    return SchoolFactory(organisation__local_authority=authority)


@pytest.fixture
def staff_client(client_for, member, school):
    return client_for(member(Role.SCHOOL_STAFF, organisation=school.organisation))


def search(client, **params):
    return client.get(reverse("pupils:search"), params)


def found(response):
    return [pupil.legal_last_name for pupil in response.context["page"].object_list]


def test_finds_by_part_of_a_name(staff_client, school):
    pupil_at(school, legal_first_name="Amira", legal_last_name="Okonkwo")
    pupil_at(school, legal_first_name="Ben", legal_last_name="Smith")
    assert found(search(staff_client, q="okon")) == ["Okonkwo"]


def test_finds_a_misspelt_name(staff_client, school):
    pupil_at(school, legal_first_name="Amira", legal_last_name="Okonkwo")
    pupil_at(school, legal_first_name="Ben", legal_last_name="Smith")
    assert found(search(staff_client, q="Okonkow")) == ["Okonkwo"]


def test_finds_by_preferred_name(staff_client, school):
    pupil_at(
        school, legal_first_name="Robert", legal_last_name="Jones", preferred_first_name="Bobby"
    )
    assert found(search(staff_client, q="bobby")) == ["Jones"]


def test_finds_by_upn_in_any_case(staff_client, school):
    pupil = pupil_at(school, legal_last_name="Hart")
    pupil_at(school, legal_last_name="Other")
    assert found(search(staff_client, q=pupil.upn.lower())) == ["Hart"]


def test_finds_by_date_of_birth(staff_client, school):
    pupil_at(school, legal_last_name="March", date_of_birth=datetime.date(2014, 3, 27))
    pupil_at(school, legal_last_name="April", date_of_birth=datetime.date(2014, 4, 27))
    response = search(
        staff_client, date_of_birth_0="27", date_of_birth_1="3", date_of_birth_2="2014"
    )
    assert found(response) == ["March"]


def test_never_finds_pupils_the_user_cannot_see(staff_client, school):
    pupil_at(SchoolFactory(), legal_last_name="Okonkwo")
    assert found(search(staff_client, q="Okonkwo")) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2014"},
            "Date of birth must be a real date",
        ),
        ({"date_of_birth_0": "3", "date_of_birth_2": "2014"}, "Date of birth must include a month"),
        ({"q": ""}, "Enter a name, a UPN or a date of birth to search for"),
    ],
)
def test_bad_search_gets_a_message_in_words(staff_client, params, message):
    response = search(staff_client, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html


def test_search_results_cost_the_same_queries_for_few_or_many(
    staff_client, school, django_assert_num_queries
):
    """The results with their number, their schools and the access log: three queries for
    one pupil found or for sixty."""
    pupil_at(school, legal_last_name="Taylor")
    search(staff_client, q="Taylor")  # the first page after signing in writes the session
    with django_assert_num_queries(3):
        search(staff_client, q="Taylor")
    for n in range(60):
        pupil_at(school, legal_last_name="Taylor", legal_first_name=f"Child{n}")
    with django_assert_num_queries(3):
        response = search(staff_client, q="Taylor")
    assert response.context["page"].paginator.count == 61
    assert len(response.context["page"].object_list) == 25


def test_part_of_a_name_is_matched_through_the_trigram_index(school):
    """With sequential scans priced out, the planner can still answer a search for part of a
    surname, which it could not if the filter were not one the gin_trgm_ops index serves."""
    pupil_at(school, legal_last_name="Okonkwo")
    query = search_pupils(Pupil.objects.all(), text="konk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "pupil_names_trgm" in plan
    assert [pupil.legal_last_name for pupil in query] == ["Okonkwo"]


def test_wildcards_typed_into_a_search_are_taken_literally(school):
    pupil_at(school, legal_last_name="Smith")
    assert not Pupil.objects.filter(legal_last_name__ilike_contains="%")
    assert not Pupil.objects.filter(legal_last_name__ilike_contains="S_ith")
    assert Pupil.objects.filter(legal_last_name__ilike_contains="MIT").count() == 1


def test_the_search_writes_the_names_exactly_as_the_index_holds_them():
    """``SearchName`` is ``search_name()`` (the index's expression) written in one step: the
    same SQL, with the separators Django passes as parameters written as literals."""
    from pupils.models import search_name
    from pupils.search import SearchName

    def written(expression):
        sql, params = (
            Pupil.objects.annotate(names=expression).values("names").query.sql_with_params()
        )
        return sql % tuple(f"'{param}'" for param in params)

    assert written(SearchName()) == written(search_name())

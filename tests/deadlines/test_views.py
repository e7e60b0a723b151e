import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from deadlines import services
from deadlines.models import InsetDay, Notification, Term
from tests.deadlines.factories import NotificationPendingFactory
from tests.pupils.factories import pupil_at

D = datetime.date
pytestmark = pytest.mark.django_db
MONDAY_20_APRIL = datetime.datetime(2026, 4, 20, 10, 0)


def action(school, owner, start, title="Observe in lessons"):
    return services.create_deadline(
        owner,
        kind="action",
        subject=pupil_at(school),
        school=school,
        start_date=start,
        title=title,
        owner_user=owner,
    )


@time_machine.travel(MONDAY_20_APRIL, tick=False)
def test_my_deadlines_soonest_first_with_overdue_counted_in_school_days(school, member, client_for):
    owner = member(Role.CASEWORKER)
    later = action(school, owner, D(2026, 4, 20), "Later")  # due 27 April
    late = action(school, owner, D(2026, 3, 16), "Late")  # due 23 March
    html = client_for(owner).get(reverse("deadlines:mine"))
    rows = html.context["rows"]
    assert [d.title for d in rows] == ["Late", "Later"]
    # After 23 March: 24-27 March (4), Easter holiday, 13-17 April (5), 20 April (1).
    assert rows[0].overdue_by == "10 school days overdue"
    assert rows[1].overdue_by is None
    assert 'govuk-tag--red">10 school days overdue' in html.content.decode()
    assert later.pk != late.pk


def test_a_manager_sees_the_team_and_a_caseworker_only_their_own(
    school, member, client_for, organisation_for_role
):
    service = organisation_for_role(Role.CASEWORKER)
    caseworker = member(Role.CASEWORKER, organisation=service)
    manager = member(Role.SERVICE_MANAGER, organisation=service)
    action(school, caseworker, D(2026, 3, 2), "Caseworker's action")
    assert client_for(manager).get(reverse("deadlines:mine")).context["rows"] == []
    team = client_for(manager).get(reverse("deadlines:mine"), {"show": "team"})
    assert [d.title for d in team.context["rows"]] == ["Caseworker's action"]
    own = client_for(caseworker).get(reverse("deadlines:mine"), {"show": "team"})
    assert own.context["show_team"] is False


def test_my_deadlines_costs_the_same_queries_for_few_or_many(
    school, member, client_for, django_assert_num_queries, authority
):
    from tests.pupils.factories import SchoolFactory

    owner = member(Role.CASEWORKER)
    client = client_for(owner)
    action(school, owner, D(2026, 3, 2))
    client.get(reverse("deadlines:mine"))
    with django_assert_num_queries(1) as small:  # the page of deadlines, shorter than a page:
        client.get(reverse("deadlines:mine"))  # its length is its count
    few = len(small.captured_queries)  # the next request empties Django's query log
    other_school = SchoolFactory(organisation__local_authority=authority)
    for n in range(12):
        action(other_school if n % 2 else school, owner, D(2026, 3, 2 + n % 3))
    client.get(reverse("deadlines:mine"))  # a new organisation: who the owner is, read again
    with django_assert_num_queries(few):
        client.get(reverse("deadlines:mine"))


def test_a_deadline_page_says_how_it_was_counted(school, member, client_for):
    owner = member(Role.SCHOOL_STAFF, organisation=school.organisation)
    deadline = services.create_deadline(
        owner,
        kind="governing-board-review",
        subject=pupil_at(school),
        school=school,
        start_date=D(2026, 3, 16),
        title="Governing board meets",
        owner_user=owner,
    )
    html = client_for(owner).get(reverse("deadlines:detail", args=[deadline.pk])).content.decode()
    assert (
        "15 school days from Monday 16 March 2026 on Oakfield Primary&#x27;s calendar, "
        "skipping the Easter holiday"
    ) in html
    assert "Monday 20 April 2026" in html
    stranger = member(Role.SCHOOL_STAFF)
    response = client_for(stranger).get(reverse("deadlines:detail", args=[deadline.pk]))
    assert response.status_code == 404


def test_waiving_from_the_page_needs_a_reason(school, member, client_for):
    owner = member(Role.CASEWORKER)
    deadline = action(school, owner, D(2026, 3, 2))
    client = client_for(owner)
    response = client.post(reverse("deadlines:waive", args=[deadline.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Enter why this deadline no longer applies" in response.content.decode()
    response = client.post(
        reverse("deadlines:waive", args=[deadline.pk]), {"reason": "Pupil moved away"}
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert (deadline.status, deadline.reason) == ("waived", "Pupil moved away")


def test_unread_count_in_the_header_and_opening_marks_read(member, client_for):
    user = member(Role.CASEWORKER)
    notifications = NotificationPendingFactory.create_batch(2, recipient=user, url="/deadlines/")
    NotificationPendingFactory()  # someone else's
    client = client_for(user)
    html = client.get(reverse("deadlines:notifications")).content.decode()
    assert 'data-testid="unread-count">2<' in html
    response = client.get(reverse("deadlines:open-notification", args=[notifications[0].pk]))
    assert response.url == "/deadlines/"
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 1
    client.post(reverse("deadlines:mark-all-read"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    other = Notification.objects.exclude(recipient=user).get()
    assert client.get(reverse("deadlines:open-notification", args=[other.pk])).status_code == 404


# ---- term dates ----------------------------------------------------------------------------


@pytest.fixture
def la_admin_client(member, client_for):
    return client_for(member(Role.LA_ADMINISTRATOR))


def edit(client, year, name, start, end, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(
        reverse("deadlines:edit-term", args=[year, name]) + (f"?{query}" if query else ""),
        {
            "start_date_0": start.day, "start_date_1": start.month, "start_date_2": start.year,
            "end_date_0": end.day, "end_date_1": end.month, "end_date_2": end.year,
        },
    )  # fmt: skip


def test_an_la_administrator_changes_a_term(school, authority, la_admin_client):
    response = edit(la_admin_client, 2025, "autumn_1", D(2025, 9, 4), D(2025, 10, 24))
    assert response.status_code == 302
    term = Term.objects.get(authority=authority, school=None, academic_year=2025, name="autumn_1")
    assert term.start_date == D(2025, 9, 4)


def test_bad_term_dates_get_messages_by_the_field(school, la_admin_client):
    response = edit(la_admin_client, 2025, "autumn_1", D(2025, 10, 24), D(2025, 9, 4))
    assert response.status_code == 400
    assert "The last day must be the same as or after the first day" in response.content.decode()
    response = edit(la_admin_client, 2025, "autumn_1", D(2025, 9, 3), D(2025, 11, 7))
    assert "These dates overlap Autumn 2" in response.content.decode()
    response = la_admin_client.post(
        reverse("deadlines:edit-term", args=[2025, "autumn_1"]),
        {"start_date_0": "31", "start_date_1": "9", "start_date_2": "2025"},
    )
    html = response.content.decode()
    assert "First day must be a real date" in html
    assert "Enter last day" in html


def test_an_academy_gets_its_own_dates_to_change(school, authority, la_admin_client):
    from deadlines.calendar import SchoolCalendar
    from tests.pupils.factories import SchoolFactory

    academy = SchoolFactory(organisation__local_authority=authority)
    la_admin_client.post(reverse("deadlines:use-own-dates"), {"school": academy.pk, "year": 2025})
    assert Term.objects.filter(school=academy, academic_year=2025).count() == 6
    edit(la_admin_client, 2025, "spring_2", D(2026, 2, 23), D(2026, 4, 2), school=academy.pk)
    assert SchoolCalendar(academy).is_school_day(D(2026, 3, 30))
    assert not SchoolCalendar(school).is_school_day(D(2026, 3, 30))


def test_inset_days_are_added_and_removed(school, authority, la_admin_client):
    response = la_admin_client.post(
        reverse("deadlines:add-inset-day"),
        {"year": 2025, "date_0": "7", "date_1": "11", "date_2": "2025"},
    )
    assert response.status_code == 302
    day = InsetDay.objects.get(date=D(2025, 11, 7))
    response = la_admin_client.post(
        reverse("deadlines:add-inset-day"),
        {"year": 2025, "date_0": "8", "date_1": "11", "date_2": "2025"},
    )
    assert response.status_code == 400
    assert "An INSET day must be a weekday" in response.content.decode()
    la_admin_client.post(reverse("deadlines:remove-inset-day", args=[day.pk]))
    assert not InsetDay.objects.filter(pk=day.pk).exists()


def test_term_dates_page_shows_the_year_and_bank_holidays(school, la_admin_client):
    html = la_admin_client.get(reverse("deadlines:term-dates"), {"year": 2025}).content.decode()
    assert "Term dates 2025 to 2026" in html
    assert "Wed 3 Sep 2025" in html
    assert "Easter Monday" in html


@pytest.mark.parametrize("role", [Role.SCHOOL_STAFF, Role.CASEWORKER, Role.VIRTUAL_SCHOOL_OFFICER])
def test_only_administrators_and_managers_keep_term_dates(school, member, client_for, role):
    client = client_for(member(role))
    assert client.get(reverse("deadlines:term-dates")).status_code == 403
    response = edit(client, 2025, "autumn_1", D(2025, 9, 4), D(2025, 10, 24))
    assert response.status_code == 403


def test_a_service_manager_keeps_term_dates(school, member, client_for):
    client = client_for(member(Role.SERVICE_MANAGER))
    assert client.get(reverse("deadlines:term-dates")).status_code == 200


def test_the_list_pages_kept_term_dates_are_dropped_when_an_inset_day_is_added_or_removed(
    school, authority
):
    """The list pages count school days from the authority's dates kept in the cache; an INSET
    day added or removed is counted at once, not five minutes later."""
    from deadlines.calendar import calendars_for
    from deadlines.services import calendar as calendar_services

    def school_days():
        return calendars_for([school])[school.pk].school_days_between(D(2026, 3, 2), D(2026, 3, 6))

    assert school_days() == 4  # Tuesday 3 to Friday 6 March
    inset = calendar_services.add_inset_day(None, authority=authority, date=D(2026, 3, 4))
    assert school_days() == 3
    calendar_services.remove_inset_day(None, inset)
    assert school_days() == 4

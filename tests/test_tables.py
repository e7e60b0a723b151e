"""Table rows written in Python (``config.tables``) say what the template loop they replaced
said, cell for cell, escaping included."""

import datetime
import re
from types import SimpleNamespace

from django.template import Context, Template

from cases.tables import caseload_rows
from config.tables import day_and_date, short_date

# The caseload's rows as the template wrote them before.
TEMPLATE_ROWS = """{% for case in cases %}
<tr class="govuk-table__row">
  <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'cases:detail' case.pk %}">{{ case.pupil.display_name }}</a></td>
  <td class="govuk-table__cell">{{ case.school.name|default:"" }}</td>
  <td class="govuk-table__cell" data-sort-value="{{ case.weeks_used|default:0 }}">{% if case.weeks_used is None %}Unknown{% else %}{{ case.weeks_used }}{% if case.settings.maximum_involvement_weeks %} of {{ case.settings.maximum_involvement_weeks }}{% endif %}{% endif %}</td>
  <td class="govuk-table__cell" data-sort-value="{{ case.contact_count }}">{{ case.contact_count }}{% if case.settings.minimum_contacts %} of at least {{ case.settings.minimum_contacts }}{% endif %}</td>
  <td class="govuk-table__cell" data-sort-value="{{ case.next_due|date:'Ymd'|default:'99999999' }}">{% if case.next_due %}{{ case.next_due|date:"D j M Y" }}: {{ case.next_title }}{% else %}None due{% endif %}</td>
  <td class="govuk-table__cell" data-sort-value="{{ case.last_contact|date:'Ymd'|default:'0' }}">{{ case.last_contact|date:"j M Y"|default:"None yet" }}</td>
</tr>
{% endfor %}"""  # noqa: E501


def a_case(pk, **changes):
    school = SimpleNamespace(name="St Mary's <C of E> Primary")
    case = SimpleNamespace(
        pk=pk, pupil=SimpleNamespace(display_name="Jay O'Neil & Co"), school=school,
        school_id=1, weeks_used=7, contact_count=3, next_due=datetime.date(2026, 12, 7),
        next_title="Review <the plan>", last_contact=datetime.date(2026, 9, 30),
        settings=SimpleNamespace(maximum_involvement_weeks=22, minimum_contacts=6),
    )  # fmt: skip
    for name, value in changes.items():
        setattr(case, name, value)
    return case


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_caseload_rows_say_what_the_template_said():
    unlimited = SimpleNamespace(maximum_involvement_weeks=None, minimum_contacts=0)
    cases = [
        a_case(1),
        a_case(2, weeks_used=None, next_due=None, last_contact=None),
        a_case(3, weeks_used=0, settings=unlimited, school=None, school_id=None),
        a_case(4, contact_count=0, next_due=datetime.date(2027, 1, 4)),
    ]
    template = Template(TEMPLATE_ROWS).render(Context({"cases": cases}))
    assert squeezed(caseload_rows(cases)) == squeezed(template)
    assert "Jay O&#x27;Neil &amp; Co" in caseload_rows(cases)


def test_dates_as_the_date_filter_writes_them():
    for day in (datetime.date(2026, 9, 1), datetime.date(2027, 1, 31), datetime.date(2026, 5, 3)):
        assert short_date(day) == Template('{{ d|date:"j M Y" }}').render(Context({"d": day}))
        assert day_and_date(day) == Template('{{ d|date:"D j M Y" }}').render(Context({"d": day}))


DEADLINE_TEMPLATE_ROWS = """{% for deadline in rows %}
<tr class="govuk-table__row">
  <td class="govuk-table__cell">{{ deadline.due_date|date:"D j M Y" }}{% if deadline.provisional %} <strong class="govuk-tag govuk-tag--yellow">Provisional</strong>{% endif %}</td>
  <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'deadlines:detail' deadline.pk %}">{{ deadline.title }}</a></td>
  <td class="govuk-table__cell">{{ deadline.kind.name }}</td>
  <td class="govuk-table__cell">{% if deadline.owner_user %}{{ deadline.owner_user.full_name }}{% else %}{{ deadline.owner_organisation.name }}{% endif %}</td>
  <td class="govuk-table__cell">{% if deadline.overdue_by %}<strong class="govuk-tag govuk-tag--red">{{ deadline.overdue_by }}</strong>{% elif deadline.due_date == today %}<strong class="govuk-tag govuk-tag--orange">Due today</strong>{% else %}<strong class="govuk-tag govuk-tag--blue">Open</strong>{% endif %}</td>
</tr>
{% endfor %}"""  # noqa: E501


def test_deadline_rows_say_what_the_template_said():
    from deadlines.views import deadline_rows

    today = datetime.date(2026, 12, 7)

    def a_deadline(pk, **changes):
        deadline = SimpleNamespace(
            pk=pk, due_date=today, provisional=False, title="Review <Jay>'s plan",
            kind=SimpleNamespace(name="Plan review & sign-off"),
            owner_user=SimpleNamespace(full_name="Sam O'Brien"), owner_organisation=None,
            overdue_by=None,
        )  # fmt: skip
        for name, value in changes.items():
            setattr(deadline, name, value)
        return deadline

    rows = [
        a_deadline(1),
        a_deadline(2, provisional=True, due_date=datetime.date(2027, 1, 4)),
        a_deadline(3, due_date=datetime.date(2026, 11, 30), overdue_by="5 school days overdue"),
        a_deadline(4, owner_user=None, owner_organisation=SimpleNamespace(name="Gateway <A>")),
        a_deadline(5, owner_user=None),
    ]
    context = Context({"rows": rows, "today": today})
    assert squeezed(deadline_rows(rows, today)) == squeezed(
        Template(DEADLINE_TEMPLATE_ROWS).render(context)
    )


REGISTER_TEMPLATE_ROWS = """{% for e in rows %}
    <tr class="govuk-table__row"><td class="govuk-table__cell">{{ e.start_date|date:"j M Y" }}</td><td class="govuk-table__cell"><a class="govuk-link" href="{% url 'exclusions:detail' e.pk %}">{{ e.pupil.display_name }}</a></td><td class="govuk-table__cell">{{ e.school.name }}</td><td class="govuk-table__cell">{{ e.get_kind_display }}{% if e.sessions %} ({{ e.days|floatformat:"-1" }} days){% endif %}</td><td class="govuk-table__cell">{% for r in e.reasons.all %}<abbr title="{{ r.label }}">{{ r.code }}</abbr> {% endfor %}</td><td class="govuk-table__cell">{% if e.pupil.sen_status == "ehcp" %}<strong class="govuk-tag govuk-tag--purple">EHCP</strong> {% endif %}{% if e.pupil.care_status == "cla" %}<strong class="govuk-tag govuk-tag--pink">Looked after</strong> {% endif %}{% if e.repeat %}<strong class="govuk-tag govuk-tag--red">Repeat suspensions ({{ e.suspensions_this_year }} this year)</strong> {% endif %}{% if e.days_this_year %}<span class="govuk-body-s">{{ e.days_this_year|floatformat:"-1" }} of {{ e.cap }} days this school year</span>{% endif %}</td><td class="govuk-table__cell">{% for d in e.open_steps %}{{ d.kind.name }}: {{ d.due_date|date:"j M" }}{% if d.provisional %} <strong class="govuk-tag govuk-tag--yellow">Provisional</strong>{% endif %}{% if d.days_left is not None %} ({% if d.days_left < 0 %}overdue{% elif d.days_left == 0 %}today{% else %}{{ d.days_left }} school day{{ d.days_left|pluralize }} left{% endif %}){% endif %}<br>{% empty %}No open steps{% endfor %}</td></tr>
{% endfor %}"""  # noqa: E501


def test_register_rows_say_what_the_template_said():
    from exclusions.views import register_rows

    def a_step(name, due, *, provisional=False, days_left=None):
        return SimpleNamespace(
            kind=SimpleNamespace(name=name),
            due_date=due,
            provisional=provisional,
            days_left=days_left,
        )

    def a_row(pk, **changes):
        reasons = [
            SimpleNamespace(code="PA", label="Physical assault <adult>"),
            SimpleNamespace(code="VA", label="Verbal abuse & threats"),
        ]
        row = SimpleNamespace(
            pk=pk, start_date=datetime.date(2026, 11, 30),
            pupil=SimpleNamespace(display_name="Jay O'Neil", sen_status="ehcp", care_status="cla"),
            school=SimpleNamespace(name="St Mary's <C of E>"), sessions=5, days=2.5,
            get_kind_display=lambda: "Suspension", reasons=SimpleNamespace(all=lambda: reasons),
            repeat=True, suspensions_this_year=3, days_this_year=7.5, cap=45,
            open_steps=[
                a_step("Board <consider>", datetime.date(2026, 12, 14), provisional=True,
                       days_left=5),
                a_step("Sixth day", datetime.date(2026, 12, 8), days_left=1),
                a_step("Notify", datetime.date(2026, 12, 7), days_left=0),
                a_step("Late", datetime.date(2026, 12, 1), days_left=-2),
                a_step("No calendar", datetime.date(2027, 1, 4)),
            ],
        )  # fmt: skip
        for name, value in changes.items():
            setattr(row, name, value)
        return row

    plain = SimpleNamespace(display_name="Ana", sen_status="none", care_status="not_known")
    rows = [
        a_row(1),
        a_row(2, sessions=0, pupil=plain, repeat=False, days_this_year=0, open_steps=[],
              reasons=SimpleNamespace(all=list)),
        a_row(3, sessions=4, days=2.0, days_this_year=12.0, get_kind_display=lambda: "Permanent"),
    ]  # fmt: skip
    context = Context({"rows": rows})
    assert squeezed(register_rows(rows)) == squeezed(
        Template(REGISTER_TEMPLATE_ROWS).render(context)
    )


QUEUE_TEMPLATE_ROWS = """{% for referral in page.object_list %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell">{{ referral.submitted_at|date:"j M Y" }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{% if referral.waited is None %}Not known: no term dates{% else %}{{ referral.waited }}{% endif %}</td>
      <td class="govuk-table__cell"><a class="govuk-link" href="{% url 'referrals:screen' referral.pk %}">{{ referral.reference }}</a></td>
      <td class="govuk-table__cell">{{ referral.pupil.display_name }}</td>
      <td class="govuk-table__cell">{{ referral.school.name }}</td>
      <td class="govuk-table__cell">{{ referral.referral_type.name }}</td>
      <td class="govuk-table__cell">{% include "referrals/_status.html" %}{% include "referrals/_flags.html" %}</td>
    </tr>
  {% endfor %}"""  # noqa: E501


def test_queue_rows_say_what_the_template_said():
    from django.utils import timezone

    from referrals.models import Status
    from referrals.screening_views import queue_rows

    screener = SimpleNamespace(pk=7)

    def a_referral(pk, **changes):
        referral = SimpleNamespace(
            pk=pk, reference=f"REF-2026-{pk:06d}",
            submitted_at=timezone.make_aware(datetime.datetime(2026, 11, 30, 23, 30)),
            waited=4, status=Status.SUBMITTED, incomplete=False, crisis=False, answer="",
            screener_id=None, pupil=SimpleNamespace(display_name="Jay O'Neil",
                                                    is_looked_after=False),
            school=SimpleNamespace(name="St Mary's <C of E>"),
            referral_type=SimpleNamespace(name="Form A & B"),
        )  # fmt: skip
        for name, value in changes.items():
            setattr(referral, name, value)
        referral.get_status_display = lambda: Status(referral.status).label
        from referrals.models import Referral

        made = Referral(status=referral.status)
        referral.status_tag_colour, referral.status_tag_class = (
            made.status_tag_colour,
            made.status_tag_class,
        )
        return referral

    looked_after = SimpleNamespace(display_name="Ana <B>", is_looked_after=True)
    rows = [
        a_referral(1),
        a_referral(2, waited=None, incomplete=True, crisis=True, pupil=looked_after),
        a_referral(3, answer="Yes, we have", screener_id=7),
        a_referral(4, status=Status.MORE_INFORMATION, answer="Sent", screener_id=8, waited=0),
    ]
    context = Context({"page": SimpleNamespace(object_list=rows), "user": screener})
    assert squeezed(queue_rows(rows, screener)) == squeezed(
        Template(QUEUE_TEMPLATE_ROWS).render(context)
    )


NAVIGATION_TEMPLATE = """{% for item in navigation_items %}
            <li class="govuk-service-navigation__item{% if item.active %} govuk-service-navigation__item--active{% endif %}">
              <a class="govuk-service-navigation__link" href="{{ item.url }}"{% if item.active %} aria-current="page"{% endif %}>{% if item.active %}<strong class="govuk-service-navigation__active-fallback">{{ item.label }}</strong>{% else %}{{ item.label }}{% endif %}</a>
            </li>
            {% endfor %}"""  # noqa: E501


def test_navigation_items_say_what_the_template_said():
    from accounts.models import Role
    from accounts.navigation import items_for, navigation_html

    for role in Role.values:
        for path in ("/", "/cases/", "/referrals/screening/", "/pupils/12/", "/nowhere/"):
            items = items_for(role, path)
            template = Template(NAVIGATION_TEMPLATE).render(Context({"navigation_items": items}))
            assert squeezed(navigation_html(items)) == squeezed(template), (role, path)
    escaped = navigation_html([{"label": "Cases & <plans>", "url": "/a?b=1&c=2", "active": True}])
    assert "Cases &amp; &lt;plans&gt;" in escaped and 'href="/a?b=1&amp;c=2"' in escaped


def test_record_urls_are_what_reverse_gives():
    from django.urls import reverse

    from config.tables import record_urls

    for name in ("cases:detail", "referrals:screen", "deadlines:detail", "exclusions:detail"):
        url_of = record_urls(name)
        for pk in (1, 42, 918273645, 10**12):
            assert url_of(pk) == reverse(name, args=[pk])

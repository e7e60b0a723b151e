"""The MOJ timeline written in Python (``pupils.timeline.timeline_html``), as the pupil page and
the case chronology show it."""

import datetime
import zoneinfo

from django.test.html import parse_html
from django.utils import timezone

from pupils.timeline import Entry, timeline_html

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_each_entry_is_a_timeline_item_with_its_title_byline_date_and_description():
    at = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)  # 09:30 in London in March
    html = timeline_html([Entry(at=at, title="Referral sent", byline="Sam Jones",
                                description="By the school")])  # fmt: skip
    expected = """<div class="moj-timeline__item">
      <div class="moj-timeline__header"><h3 class="moj-timeline__title">Referral sent</h3>
      <p class="moj-timeline__byline">by Sam Jones</p></div>
      <p class="moj-timeline__date">
        <time datetime="2026-03-02T09:30:00+00:00">2 March 2026</time></p>
      <div class="moj-timeline__description">By the school</div></div>"""
    assert parse_html(html) == parse_html(expected)


def test_the_time_of_day_is_local_and_shown_when_asked_for():
    at = datetime.datetime(2026, 7, 1, 8, 5, tzinfo=datetime.UTC)  # British Summer Time
    with timezone.override(LONDON):
        html = timeline_html([Entry(at=at, title="Case opened")], with_time=True)
    assert '<time datetime="2026-07-01T09:05:00+01:00">1 July 2026, 09:05</time>' in html


def test_a_bare_date_shows_without_a_time():
    html = timeline_html([Entry(at=datetime.date(2026, 12, 31), title="Contact")], with_time=True)
    assert '<time datetime="2026-12-31">31 December 2026</time>' in html


def test_every_text_is_escaped_and_nothing_empty_is_shown():
    entry = Entry(at=datetime.date(2026, 1, 5), title="<script>x</script>",
                  description='Said "no" & left', url="/pupils/1/?a=1&b=2")  # fmt: skip
    html = timeline_html([entry])
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "Said &quot;no&quot; &amp; left" in html
    assert '<a class="govuk-link" href="/pupils/1/?a=1&amp;b=2">' in html
    assert "moj-timeline__byline" not in html  # no one named: no "by"


def test_a_case_note_keeps_its_lines_and_a_timeline_without_entries_is_empty():
    entry = Entry(at=datetime.date(2026, 1, 5), title="Contact", description="One\nTwo <b>")
    assert "One<br>Two &lt;b&gt;" in timeline_html([entry], line_breaks=True)
    assert "One\nTwo &lt;b&gt;" in timeline_html([entry])
    assert timeline_html([]) == ""


def test_line_breaks_of_every_kind_are_kept_and_a_safe_text_is_not_escaped_twice():
    """As Django's ``linebreaksbr`` and ``escape`` write them."""
    from django.template.defaultfilters import linebreaksbr
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    typed = 'Met Sam\'s mum\r\nAgreed: <report card>\rReview "Friday"\nDone & dusted'
    kept = mark_safe("<b>Already written</b>\nSecond line")
    html = timeline_html([Entry(at=datetime.date(2026, 1, 5), title=typed, description=typed),
                          Entry(at=datetime.date(2026, 1, 4), title="Kept", description=kept)],
                         line_breaks=True)  # fmt: skip
    assert f'<div class="moj-timeline__description">{linebreaksbr(typed)}</div>' in html
    assert f'<h3 class="moj-timeline__title">{escape(typed)}</h3>' in html
    assert "Sam&#x27;s" in html and "&lt;report card&gt;<br>Review &quot;Friday&quot;" in html
    assert "<b>Already written</b><br>Second line" in html


def test_an_instant_falls_on_its_local_day():
    """23:30 on 30 June in UTC is 00:30 on 1 July in London (British Summer Time)."""
    at = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    with timezone.override(LONDON):
        html = timeline_html([Entry(at=at, title="Case opened")])
    assert '<time datetime="2026-07-01T00:30:00+01:00">1 July 2026</time>' in html

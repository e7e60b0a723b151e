"""The pupil page's timeline. Each app that records something about a pupil registers a
provider: ``provider(user, pupil)`` returns entries the user may see (through ``visible_to``)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeData, SafeString, mark_safe

from config.html import escape

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def _day(local) -> str:
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def _when(at, zone, with_time: bool) -> tuple[str, str]:
    """(ISO date or time, words): an instant in the local time zone, a bare date as it is."""
    if not isinstance(at, datetime.datetime):
        return at.isoformat(), _day(at)
    local = at.astimezone(zone)
    return local.isoformat(), (f"{_day(local)}, {local:%H:%M}" if with_time else _day(local))


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    title: str
    byline: str = ""
    description: str = ""
    url: str = ""


def _lines(text) -> str:
    """Django's ``linebreaksbr``: each line break kept as ``<br>``, the text escaped unless
    already safe."""
    safe = isinstance(text, SafeData)
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return (text if safe else escape(text)).replace("\n", "<br>")


def timeline_html(entries, *, with_time: bool = False, line_breaks: bool = False) -> SafeString:
    """The items of a MOJ Frontend timeline (``moj-timeline__item``), one per entry, newest
    first as given: each entry's title (a link when it has a page of its own), who did it, when
    (``with_time``: the time of day too) and its description (``line_breaks``: kept as typed).

    Written in Python rather than as a template loop: a case's chronology holds hundreds of
    entries, and a template loop cost more than all of the page's queries. Every text is
    escaped here."""
    zone = timezone.get_current_timezone()  # once, not once an entry
    items = []
    for entry in entries:
        title = escape(entry.title)
        if entry.url:
            title = f'<a class="govuk-link" href="{escape(entry.url)}">{title}</a>'
        byline = (
            f'\n<p class="moj-timeline__byline">by {escape(entry.byline)}</p>'
            if entry.byline
            else ""
        )
        description = ""
        if entry.description:
            text = _lines(entry.description) if line_breaks else escape(entry.description)
            description = f'\n  <div class="moj-timeline__description">{text}</div>'
        iso, when = _when(entry.at, zone, with_time)
        items.append(
            '<div class="moj-timeline__item">\n'
            f'  <div class="moj-timeline__header"><h3 class="moj-timeline__title">{title}</h3>'
            f"{byline}</div>\n"
            f'  <p class="moj-timeline__date"><time datetime="{iso}">{when}</time></p>'
            f"{description}\n</div>"
        )
    return mark_safe("\n".join(items))  # every value above is escaped


Provider = Callable[[object, object], list[Entry]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def timeline_for(user, pupil) -> list[Entry]:
    entries = [entry for provider in _providers for entry in provider(user, pupil)]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)

"""The pupil page's timeline. Each app that records something about a pupil registers a
provider: ``provider(user, pupil)`` returns entries the user may see (through ``visible_to``)."""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    title: str
    byline: str = ""
    description: str = ""
    url: str = ""

    # Written here rather than by the ``date`` filter: a chronology of hundreds of entries
    # renders in a fraction of the time, and a contact's bare date shows without a time.
    @functools.cached_property
    def local(self) -> datetime.date:
        return timezone.localtime(self.at) if isinstance(self.at, datetime.datetime) else self.at

    @property
    def iso(self) -> str:
        return self.local.isoformat()

    @property
    def day(self) -> str:
        return f"{self.local.day} {MONTHS[self.local.month - 1]} {self.local.year}"

    @property
    def day_and_time(self) -> str:
        if isinstance(self.local, datetime.datetime):
            return f"{self.day}, {self.local:%H:%M}"
        return self.day


def timeline_html(entries, *, with_time: bool = False, line_breaks: bool = False) -> SafeString:
    """The items of a MOJ Frontend timeline (``moj-timeline__item``), one per entry, newest
    first as given: each entry's title (a link when it has a page of its own), who did it, when
    (``with_time``: the time of day too) and its description (``line_breaks``: kept as typed).

    Written in Python rather than as a template loop: a case's chronology holds hundreds of
    entries, and a template loop cost more than all of the page's queries. Every text is
    escaped here."""
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
            text = linebreaksbr(entry.description) if line_breaks else escape(entry.description)
            description = f'\n  <div class="moj-timeline__description">{text}</div>'
        when = entry.day_and_time if with_time else entry.day
        items.append(
            '<div class="moj-timeline__item">\n'
            f'  <div class="moj-timeline__header"><h3 class="moj-timeline__title">{title}</h3>'
            f"{byline}</div>\n"
            f'  <p class="moj-timeline__date"><time datetime="{entry.iso}">{when}</time></p>'
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

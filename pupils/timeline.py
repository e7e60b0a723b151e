"""The pupil page's timeline. Each app that records something about a pupil registers a
provider: ``provider(user, pupil)`` returns entries the user may see (through ``visible_to``)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    title: str
    byline: str = ""
    description: str = ""
    url: str = ""

    # Written here rather than by the ``date`` filter: a chronology of hundreds of entries
    # renders in a fraction of the time, and a contact's bare date shows without a time.
    @property
    def local(self) -> datetime.date:
        return timezone.localtime(self.at) if isinstance(self.at, datetime.datetime) else self.at

    @property
    def iso(self) -> str:
        return self.local.isoformat()

    @property
    def day(self) -> str:
        return f"{self.local.day} {self.local:%B %Y}"

    @property
    def day_and_time(self) -> str:
        if isinstance(self.local, datetime.datetime):
            return f"{self.day}, {self.local:%H:%M}"
        return self.day


Provider = Callable[[object, object], list[Entry]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def timeline_for(user, pupil) -> list[Entry]:
    entries = [entry for provider in _providers for entry in provider(user, pupil)]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)

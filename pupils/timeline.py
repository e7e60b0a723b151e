"""The pupil page's timeline. Each app that records something about a pupil registers a
provider: ``provider(user, pupil)`` returns entries the user may see (through ``visible_to``)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    title: str
    byline: str = ""
    description: str = ""
    url: str = ""


Provider = Callable[[object, object], list[Entry]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def timeline_for(user, pupil) -> list[Entry]:
    entries = [entry for provider in _providers for entry in provider(user, pupil)]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)

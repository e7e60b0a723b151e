"""Find a record by its reference from the header: REF-2026-000123 (a referral), CASE-000045
(a case), EXC-000067 (a suspension or exclusion). Each app that gives references registers a
finder from its ``AppConfig.ready``: ``finder(user, text)`` returns the record's page, or
``None`` when the user can see no record with that reference."""

from collections.abc import Callable

Finder = Callable[[object, str], str | None]
_finders: list[Finder] = []


def register(finder: Finder) -> Finder:
    if finder not in _finders:
        _finders.append(finder)
    return finder


def normalise(text: str) -> str:
    return "".join(text.split()).upper()


def find(user, text: str) -> str | None:
    reference = normalise(text)
    if not reference:
        return None
    for finder in _finders:
        url = finder(user, reference)
        if url:
            return url
    return None


def by_number(prefix: str, reference: str) -> int | None:
    """The record's id in a reference made of a prefix and its number (CASE-000045)."""
    if not reference.startswith(prefix):
        return None
    number = reference[len(prefix) :]
    return int(number) if number.isdigit() and 0 < int(number) < 2**31 else None

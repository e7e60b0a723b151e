"""What each app holds about a pupil: how it is anonymised (its change history included) and how
it is gathered for a subject access request. The audit app cannot import the apps above it, so
each registers its holdings from its ``AppConfig.ready``; retention, erasure and subject access
all read this one registry, so a new record about pupils is anonymised and exported once it is
registered, and the test that walks the models fails until it is."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pghistory.models
from django.apps import apps
from django.db.models import Model, QuerySet

REMOVED = "[removed]"
ANONYMISED = "Anonymised"


@dataclass(frozen=True)
class Holding:
    model: type[Model]
    rows: Callable[[Model], QuerySet]  # the pupil's rows of this model
    # Field → what it becomes: a value, or a function of the row for a value that must stay
    # unique or keep its shape (a UPN, a date of birth). Written to the rows and their history.
    anonymised: dict = field(default_factory=dict)
    delete: bool = False  # the rows go entirely, their history and files with them
    files: str | None = None  # a file field whose stored files are deleted


@dataclass(frozen=True)
class Section:
    """One part of a subject access export: ``rows(pupil, person)`` gives its records, with
    ``person(name)`` redacting other people's names when asked."""

    name: str
    rows: Callable


_subjects: list[Callable] = []
_retention: dict[str, Callable] = {}
_holdings: list[Holding] = []
_sections: list[Section] = []
_documents: list[tuple[str, Callable]] = []


def holds(model, rows, *, anonymised=None, delete=False, files=None) -> None:
    if not any(h.model is model for h in _holdings):
        _holdings.append(Holding(model, rows, anonymised or {}, delete, files))


def section(name: str, rows) -> None:
    if not any(s.name == name for s in _sections):
        _sections.append(Section(name, rows))


def documents(folder: str, files) -> None:
    """``files(pupil)`` yields (file name, bytes) for the export's ``folder``."""
    if not any(name == folder for name, _ in _documents):
        _documents.append((folder, files))


def document_folders() -> list[tuple[str, Callable]]:
    return list(_documents)


def subjects(finder) -> None:
    """``finder(user)``: the pupils an LA administrator may act on for subject access and
    erasure (the pupils app registers it)."""
    if finder not in _subjects:
        _subjects.append(finder)


def subjects_for(user):
    (finder,) = _subjects
    return finder(user)


def retention(record_kind: str, due) -> None:
    """``due(today, rule)``: the pupils a retention rule of ``record_kind`` has reached (the
    app that keeps those records registers it: the casework app for closed cases)."""
    _retention[record_kind] = due


def due_for_retention(record_kind: str, today, rule):
    return _retention[record_kind](today, rule)


def holdings() -> list[Holding]:
    return list(_holdings)


def sections() -> list[Section]:
    return list(_sections)


def history_of(model) -> type[Model] | None:
    """The pghistory event model that keeps ``model``'s past values, if it is tracked."""
    for candidate in apps.get_models():
        if (
            issubclass(candidate, pghistory.models.Event)
            and getattr(candidate, "pgh_tracked_model", None) is model
        ):
            return candidate
    return None


def anonymise(pupil) -> None:
    """Anonymise everything registered about ``pupil``, in the records and in their history.
    The service calling this records who did it and why."""
    # Every holding's rows found first: some are found by what the others still say (a
    # reminder by the pupil's name), which the first writes would already have removed.
    found = [(h, list(h.rows(pupil).values_list("pk", flat=True))) for h in _holdings]
    for holding, keys in found:
        rows = holding.model._base_manager.filter(pk__in=keys)
        events = history_of(holding.model)
        if holding.delete:
            if holding.files:
                for row in rows:
                    getattr(row, holding.files).delete(save=False)
            if events is not None:
                events.objects.filter(pgh_obj__in=rows.values("pk")).delete()
            rows.delete()
            continue
        constant = {k: v for k, v in holding.anonymised.items() if not callable(v)}
        per_row = {k: v for k, v in holding.anonymised.items() if callable(v)}
        for row in rows:
            values = {**constant, **{k: make(row) for k, make in per_row.items()}}
            type(row)._base_manager.filter(pk=row.pk).update(**values)
            if events is not None:
                events.objects.filter(pgh_obj=row.pk).update(**values)

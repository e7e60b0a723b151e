"""The option lists of filters and forms (schools, services, referral types), kept in Redis.

The screening queue, the exclusions register and the referral forms offer every school of the
user's authority: four hundred options read and escaped on every page. The rows a list holds
are kept under the list's own SQL, or under a key naming what alone decides them (the user's
authorities), so two users whose lists differ never share one, and are read again after any
school, organisation or referral type is saved or deleted (each app connects its models with
:func:`read_again_when_changed`) or after ten minutes at most. The queue filter's form, while
nothing is chosen in it, is kept as HTML in each process (:func:`kept_form_html`). Only the
options shown are kept: a value sent back is still checked against the database by the field.
With Redis away every read is a miss and the database answers."""

import hashlib

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.html import escape
from django.utils.safestring import SafeString

from config.cache import current_generation, move_generation

TTL_SECONDS = 600
GENERATION = "choices:generation"
FORMAT = 2  # of an entry: moved on whenever its shape changes, so no release reads another's
SEPARATOR = "\x00"  # never in a name: PostgreSQL text cannot hold it


def cached_choices(queryset, label_field: str = "name", *, key: tuple = ()) -> list[tuple]:
    """``queryset.values_list("pk", label_field)``, each label escaped (safe HTML), from the
    cache when it holds them. ``key``: the list's name and what alone decides which rows it
    holds (the queue filter's schools, and the authorities whose schools a user sees), so that
    a list found in the cache costs no SQL compiled; without it the rows are kept under their
    own SQL, compiled on every call."""
    if key:
        identity = f"{queryset.model._meta.label}|{label_field}|{key!r}"
    else:
        sql, params = queryset.values_list("pk", label_field).query.sql_with_params()
        identity = f"{sql}|{params!r}"
    cache_key = f"choices:{FORMAT}:" + hashlib.sha1(identity.encode()).hexdigest()
    found = cache.get_many([GENERATION, cache_key])
    generation = found.get(GENERATION) or current_generation(GENERATION)
    entry = found.get(cache_key)
    if not (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == generation):
        # Each label kept escaped, as a page writes it, and the labels kept as one string:
        # four hundred names are neither escaped again nor unpickled one by one.
        rows = list(queryset.values_list("pk", label_field))
        entry = (generation, [pk for pk, _ in rows],
                 SEPARATOR.join(escape(label) for _, label in rows))  # fmt: skip
        cache.set(cache_key, entry, TTL_SECONDS)
    _, pks, labels = entry
    return list(zip(pks, map(SafeString, labels.split(SEPARATOR)), strict=True)) if pks else []


def choices_changed() -> None:
    """A school, organisation or referral type changed: every list is read again, now and when
    the change commits (a page that read the old rows meanwhile cannot keep them)."""
    move_generation(GENERATION)


def read_again_when_changed(*models) -> None:
    """Connect ``models``' saves and deletes to :func:`choices_changed` (from ``ready``)."""

    def changed(sender, **kwargs):
        choices_changed()

    for model in models:
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(changed, sender=model, weak=False,
                           dispatch_uid=f"choices-{model._meta.label}-{name}")  # fmt: skip


_kept_forms: dict[tuple, str] = {}


def kept_form_html(form, key: tuple) -> SafeString:
    """An unbound filter form's HTML, rendered once per process for each ``key`` (what alone
    decides its options, as for :func:`cached_choices`) and kept until a school, organisation
    or referral type changes: the screening queue's filters, with four hundred schools, on
    every visit. A form with values sent in (filters chosen, or errors) is rendered afresh.
    Kept in the process rather than in Redis, so a new release's templates are never mixed
    with an old one's."""
    generation = None if form.is_bound else current_generation(GENERATION)
    if generation is None:  # values sent in, or Redis away: nothing is kept
        return form.render()
    entry = (type(form).__qualname__, *key, generation)
    html = _kept_forms.get(entry)
    if html is None:
        if len(_kept_forms) > 256:  # old generations and rare keys: start again
            _kept_forms.clear()
        html = _kept_forms[entry] = form.render()
    return SafeString(html)

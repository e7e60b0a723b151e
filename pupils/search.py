"""Pupil search: by UPN, by name (PostgreSQL trigram indexes make partial and misspelt names
fast), and by date of birth."""

import re

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import CharField, Expression, F, Lookup, Q, Value
from django.db.models.functions import Greatest

UPN_PATTERN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")


@CharField.register_lookup
class ContainsIgnoringCase(Lookup):
    """``name__ilike_contains="ash"``: ``name ILIKE '%ash%'``, which the ``gin_trgm_ops`` indexes
    on the name columns answer. Django's ``icontains`` writes ``UPPER(name::text) LIKE UPPER(…)``,
    which no index on the column can serve, so every search read the whole pupils table."""

    lookup_name = "ilike_contains"

    def process_rhs(self, compiler, connection):
        rhs, params = super().process_rhs(compiler, connection)
        return rhs, [f"%{connection.ops.prep_for_like_query(value)}%" for value in params]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


NAME_COLUMNS = ("legal_first_name", "legal_last_name", "preferred_first_name",
                "preferred_last_name")  # fmt: skip


class SearchName(Expression):
    """:func:`pupils.models.search_name` as Django's ``Concat`` writes it on PostgreSQL, the
    same expression the ``pupil_names_trgm`` index is built on, but written here in one step
    with its separators as literals. A search names it three times (the filter, the
    misspelling's filter and the score), and ``Concat``'s nest of seven pairs had cost a fifth
    of the page to compile; the literals also let the planner match the index whatever plan
    a prepared statement takes. ``tests/pupils/test_search.py`` holds the two to the same
    SQL."""

    def __init__(self, columns=None):
        super().__init__(output_field=CharField())
        self.columns = columns or [F(name) for name in NAME_COLUMNS]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = exprs

    def as_sql(self, compiler, connection):
        names, params = [], []
        for column in self.columns:
            sql, column_params = compiler.compile(column)
            names.append(sql)
            params.extend(column_params)
        first, last, preferred_first, preferred_last = names
        # Concat(a, " ", b, " ", c, " ", d) nests as pairs from the right, each part in
        # COALESCE(part, '').
        return (
            f"(COALESCE({first}, '') || COALESCE((COALESCE(' ', '') || "
            f"COALESCE((COALESCE({last}, '') || COALESCE((COALESCE(' ', '') || "
            f"COALESCE((COALESCE({preferred_first}, '') || COALESCE((COALESCE(' ', '') || "
            f"COALESCE({preferred_last}, '')), '')), '')), '')), '')), ''))"
        ), params


def search_pupils(queryset, *, text: str = "", date_of_birth=None):
    text = text.strip()
    if date_of_birth:
        queryset = queryset.filter(date_of_birth=date_of_birth)
    if not text:
        return queryset.order_by("legal_last_name", "legal_first_name", "pk")
    if UPN_PATTERN.match(text.upper()):
        return queryset.filter(upn=text.upper())
    queryset = queryset.annotate(names=SearchName())
    for token in text.split():
        # Part of a name, or a word close to one of the pupil's names (a misspelling).
        queryset = queryset.filter(
            Q(names__ilike_contains=token) | Q(names__trigram_word_similar=token)
        )
    return queryset.annotate(
        score=Greatest(
            *(TrigramWordSimilarity(token, "names") for token in text.split()), Value(0.0)
        )
    ).order_by("-score", "legal_last_name", "legal_first_name", "pk")


def trace_at_school(school, *, first_name: str, last_name: str, date_of_birth):
    """The pupil a caller means, found by what a parent knows: their child's name, date of birth
    and school (seed 004: a parent rings the behaviour officer, who follows no pupil until the
    referral is taken). An exact match on all four, on roll at that school now: never a list
    to browse."""
    from pupils.models import Pupil

    return Pupil.objects.filter(
        legal_first_name__iexact=first_name.strip(),
        legal_last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
        enrolments__school=school,
        enrolments__end_date__isnull=True,
    ).distinct()

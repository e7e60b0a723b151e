"""Pupil search: by UPN, by name (PostgreSQL trigram indexes make partial and misspelt names
fast), and by date of birth."""

import re

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import CharField, Lookup, Q, Value
from django.db.models.functions import Concat, Greatest

UPN_PATTERN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
NAME_FIELDS = ("legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name")


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


def search_pupils(queryset, *, text: str = "", date_of_birth=None):
    text = text.strip()
    if date_of_birth:
        queryset = queryset.filter(date_of_birth=date_of_birth)
    if not text:
        return queryset.order_by("legal_last_name", "legal_first_name", "pk")
    if UPN_PATTERN.match(text.upper()):
        return queryset.filter(upn=text.upper())
    for token in text.split():
        token_match = Q()
        for name in NAME_FIELDS:
            token_match |= Q(**{f"{name}__ilike_contains": token})
            token_match |= Q(**{f"{name}__trigram_similar": token})
        queryset = queryset.filter(token_match)
    full_name = Concat(
        "legal_first_name",
        Value(" "),
        "legal_last_name",
        Value(" "),
        "preferred_first_name",
        Value(" "),
        "preferred_last_name",
    )
    return queryset.annotate(
        score=Greatest(
            *(TrigramWordSimilarity(token, full_name) for token in text.split()), Value(0.0)
        )
    ).order_by("-score", "legal_last_name", "legal_first_name", "pk")

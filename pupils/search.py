"""Pupil search: by UPN, by name (PostgreSQL trigram indexes make partial and misspelt names
fast), and by date of birth."""

import re

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Q, Value
from django.db.models.functions import Concat, Greatest

UPN_PATTERN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
NAME_FIELDS = ("legal_first_name", "legal_last_name", "preferred_first_name", "preferred_last_name")


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
            token_match |= Q(**{f"{name}__icontains": token})
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

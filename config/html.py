"""Escaping for the HTML the project writes in Python (tables, timelines, form fields): the
same characters as Django's ``escape`` and ``conditional_escape`` (both ``html.escape``), without
their wrapper that checks every argument for a lazy string, which a long list calls thousands
of times. Each returns plain text: the caller marks the finished HTML safe once."""

import html

from django.utils.functional import Promise


def escape(text) -> str:
    """Django's ``escape``: every ``& < > " '`` escaped, whatever the text."""
    return html.escape(text if type(text) is str else str(text))


def conditional_escape(text) -> str:
    """Django's ``conditional_escape``: HTML already marked safe (``__html__``) kept as it is,
    anything else escaped."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(text if type(text) is str else str(text))

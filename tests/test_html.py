"""The project's escaping (``config.html``) writes exactly what Django's does."""

from django.utils import html as django_html
from django.utils.functional import lazy
from django.utils.safestring import mark_safe

from config import html

TEXTS = [
    "Sam's \"report card\" <b> & more", "", "plain", 7, 2.5, None,
    mark_safe("<strong>kept</strong> & as is"), lazy(lambda: "<lazy & 'quoted'>", str)(),
    lazy(lambda: mark_safe("<i>lazy but safe</i>"), str)(),
]  # fmt: skip


def test_escape_and_conditional_escape_write_what_django_s_write():
    for text in TEXTS:
        assert html.escape(text) == django_html.escape(text), text
        assert html.conditional_escape(text) == django_html.conditional_escape(text), text
    assert html.escape(mark_safe("<b>")) == "&lt;b&gt;"  # escape() escapes even safe text
    assert html.conditional_escape(mark_safe("<b>")) == "<b>"

"""The service navigation each role sees. Later issues add their pages here."""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Role

HOME = ("Home", "accounts:home")
PUPILS = ("Pupils", "pupils:search")
DEADLINES = ("Deadlines", "deadlines:mine")
TERM_DATES = ("Term dates", "deadlines:term-dates")
REFERRALS = ("Referrals", "referrals:list")
SCREENING = ("Screening", "referrals:queue")
AWAITING = ("Awaiting allocation", "referrals:awaiting")
CASES = ("My cases", "cases:mine")
CASELOADS = ("Caseloads", "cases:team")
PLANS = ("Plans", "plans:list")
PEPS = ("PEP meetings", "plans:peps")
REGISTER = ("Exclusions register", "exclusions:register")
FIGURES = ("Quarterly figures", "reporting:services")
EXCLUSION_FIGURES = ("Exclusions figures", "reporting:exclusions")

NAVIGATION = {
    Role.SCHOOL_STAFF: [HOME, PUPILS, REFERRALS, PLANS, DEADLINES],
    Role.GATEWAY_SCREENER: [HOME, SCREENING, PUPILS, DEADLINES],
    Role.CASEWORKER: [HOME, CASES, PUPILS, REFERRALS, DEADLINES],
    Role.SERVICE_MANAGER: [
        HOME,
        SCREENING,
        AWAITING,
        CASELOADS,
        FIGURES,
        PUPILS,
        DEADLINES,
        TERM_DATES,
    ],
    Role.VIRTUAL_SCHOOL_OFFICER: [
        HOME,
        PUPILS,
        PEPS,
        REFERRALS,
        DEADLINES,
        ("Care status", "pupils:find-for-care"),
        ("Looked-after return", "pupils:import-looked-after"),
    ],
    Role.EXCLUSIONS_OFFICER: [HOME, REGISTER, EXCLUSION_FIGURES, DEADLINES],
    Role.LA_MANAGER: [HOME, FIGURES, EXCLUSION_FIGURES],
    Role.LA_ADMINISTRATOR: [
        HOME,
        ("People", "accounts:people"),
        ("Schools", "pupils:school-list"),
        ("Transfer files", "pupils:import-transfer-file"),
        ("Duplicate pupils", "pupils:duplicates"),
        ("Letters to parents", "exclusions:letter-templates"),
        TERM_DATES,
        ("Access log", "audit:access-log"),
        ("Operations", "deadlines:operations"),
    ],
}


# The links every page's layout carries, besides the role's navigation.
LAYOUT = {
    "home": "accounts:home",
    "find": "accounts:find",
    "notifications": "deadlines:notifications",
    "switch_organisation": "accounts:switch-organisation",
    "sign_out": "accounts:sign-out",
    "keep_alive": "accounts:keep-alive",
    "sign_in": "accounts:sign-in",
    "accessibility": "accounts:accessibility",
}


@functools.cache
def _reversed(url_name: str, prefix: str, urlconf) -> str:
    return reverse(url_name, urlconf=urlconf)


def url_of(url_name: str) -> str:
    """``reverse(url_name)`` for a page without arguments, worked out once per process: the
    layout and the navigation carry some twenty links on every page, each a tenth of a
    millisecond to reverse."""
    return _reversed(url_name, get_script_prefix(), get_urlconf())


def layout_urls() -> dict[str, str]:
    return {key: url_of(url_name) for key, url_name in LAYOUT.items()}


def items_for(role: str, current_path: str) -> list[dict]:
    items = []
    for label, url_name in NAVIGATION.get(role, []):
        url = url_of(url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return items


def navigation_html(items: list[dict]) -> SafeString:
    """The service navigation's ``<li>`` items, the current one marked: written in Python, as
    every signed-in page shows them (a template loop of three conditions an item had cost a
    tenth of the empty page)."""
    html = []
    for item in items:
        label, url = escape(item["label"]), escape(item["url"])
        if item["active"]:
            html.append(
                '<li class="govuk-service-navigation__item '
                'govuk-service-navigation__item--active">\n'
                f'  <a class="govuk-service-navigation__link" href="{url}" aria-current="page">'
                f'<strong class="govuk-service-navigation__active-fallback">{label}</strong></a>'
                "\n</li>"
            )
        else:
            html.append(
                '<li class="govuk-service-navigation__item">\n'
                f'  <a class="govuk-service-navigation__link" href="{url}">{label}</a>\n</li>'
            )
    return mark_safe("\n".join(html))  # every value above is escaped

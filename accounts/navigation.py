"""The service navigation each role sees. Later issues add their pages here."""

from django.urls import reverse

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


def items_for(role: str, current_path: str) -> list[dict]:
    items = []
    for label, url_name in NAVIGATION.get(role, []):
        url = reverse(url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return items

"""The service navigation each role sees. Later issues add their pages here."""

from django.urls import reverse

from accounts.models import Role

NAVIGATION = {
    Role.SCHOOL_STAFF: [("Home", "accounts:home"), ("Pupils", "pupils:search")],
    Role.GATEWAY_SCREENER: [("Home", "accounts:home"), ("Pupils", "pupils:search")],
    Role.CASEWORKER: [("Home", "accounts:home"), ("Pupils", "pupils:search")],
    Role.SERVICE_MANAGER: [("Home", "accounts:home"), ("Pupils", "pupils:search")],
    Role.VIRTUAL_SCHOOL_OFFICER: [("Home", "accounts:home"), ("Pupils", "pupils:search")],
    Role.LA_ADMINISTRATOR: [
        ("Home", "accounts:home"),
        ("Schools", "pupils:school-list"),
        ("Access log", "audit:access-log"),
    ],
}


def items_for(role: str, current_path: str) -> list[dict]:
    items = []
    for label, url_name in NAVIGATION.get(role, []):
        url = reverse(url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return items

"""Every URL of the project, resolved from the URLconf so that a new one cannot be forgotten,
for an anonymous user: sign-in first, except the few public ones. A URL with no entry fails.
Then every role against the pages with no record in their address: its own pages open, the pages
of other roles answer 403. URLs that name a record are in ``test_records_matrix``."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role

PUBLIC = {
    "accounts:sign-in",
    "accounts:accessibility",
    "health",
    "accounts:sign-out",
    "accounts:password-reset",
    "accounts:password-reset-confirm",
}
ADMIN_PREFIX = "admin:"


def named_patterns(resolver=None, namespace="", prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern), pattern


def sample_path(route: str) -> str:
    """A concrete path for a route: 1 for every int, "x" for the rest."""
    import re

    path = re.sub(r"<drf_format_suffix:[^>]+>", ".json", route)
    path = re.sub(r"<int:[^>]+>", "1", path)
    path = re.sub(r"<(?:slug|str|path):[^>]+>", "x", path)
    path = re.sub(r"<[^>]+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$").replace("\\Z", "")


def expected(name: str) -> str:
    if name in PUBLIC:
        return "public"
    if name.startswith("api:"):
        return "api"
    if name.startswith(ADMIN_PREFIX):
        return "admin"
    return "sign-in"


APP_NAMESPACES = {
    "accounts", "pupils", "audit", "deadlines", "referrals", "cases", "plans", "exclusions",
    "reporting", "admin", "api",
}  # fmt: skip


def test_every_url_has_an_entry():
    unknown = [
        name
        for name, _, _ in named_patterns()
        if ":" in name and name.split(":")[0] not in APP_NAMESPACES and name not in PUBLIC
    ]
    assert unknown == [], "Add these URLs to the matrix"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "route"),
    [(name, route) for name, route, _ in named_patterns() if not route.startswith("admin/")]
    + [("admin:index", "admin/")],
)
def test_anonymous_users_are_sent_to_sign_in(client, name, route):
    path = sample_path(route)
    response = client.get(path)
    rule = expected(name)
    if rule == "public":
        assert response.status_code in {200, 302, 400, 405}, path
    elif rule == "api":
        assert response.status_code in {401, 403}, path
        assert b"errors" in response.content, path
    elif rule == "admin":
        assert response.status_code == 302 and "/admin/login/" in response["Location"], path
    else:
        assert response.status_code == 302, path
        assert response["Location"].startswith("/sign-in/"), path


# Pages with no record in their address that only some roles may use; everyone else gets 403.
ROLE_PAGES = {
    "accounts:api-tokens": {Role.LA_ADMINISTRATOR},
    "audit:access-log": {Role.LA_ADMINISTRATOR},
    "audit:subject-access": {Role.LA_ADMINISTRATOR},
    "audit:erasure": {Role.LA_ADMINISTRATOR},
    "deadlines:term-dates": {Role.LA_ADMINISTRATOR, Role.SERVICE_MANAGER},
    "referrals:start": {Role.SCHOOL_STAFF},
    "referrals:new-pupil": {Role.SCHOOL_STAFF},
    "referrals:queue": {Role.GATEWAY_SCREENER, Role.SERVICE_MANAGER},
    "referrals:awaiting": {Role.SERVICE_MANAGER},
    "cases:team": {Role.SERVICE_MANAGER},
    "plans:peps": {Role.VIRTUAL_SCHOOL_OFFICER},
    "plans:list": {Role.SCHOOL_STAFF},
    "exclusions:register": {Role.EXCLUSIONS_OFFICER},
    "reporting:services": {Role.SERVICE_MANAGER, Role.LA_MANAGER},
    "reporting:services-json": {Role.SERVICE_MANAGER, Role.LA_MANAGER},
    "reporting:exclusions": {Role.EXCLUSIONS_OFFICER, Role.LA_MANAGER},
}
# Pages every signed-in role may open (each shows only what visible_to allows).
EVERY_ROLE = [
    "accounts:home", "accounts:switch-organisation", "pupils:search", "deadlines:mine",
    "deadlines:notifications", "referrals:list", "cases:mine",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_its_pages_and_403_for_the_others(school, orgs, member, client_for, role):
    client = client_for(member(role))
    for name in [*ROLE_PAGES, *EVERY_ROLE]:
        response = client.get(reverse(name))
        if name in ROLE_PAGES and role not in ROLE_PAGES[name]:
            assert response.status_code == 403, (name, role, response.status_code)
        else:
            assert response.status_code in {200, 302}, (name, role, response.status_code)

"""Browser tests: Playwright for Python driving Debian's Chromium against the live test server.

Every test here is marked ``browser`` (``-m "not browser"`` skips them locally). The pages are
checked with axe-core from npm, injected by the test, for the WCAG 2.2 A and AA rules."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.referrals.conftest import orgs, types  # noqa: F401  (shared fixtures)

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary blocking calls all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM)}


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url, "viewport": {
        "width": 1280, "height": 900}}  # fmt: skip


@pytest.fixture
def world(transactional_db, deadline_kinds, school, member, request):
    """A small authority with a school on the fixture calendar and its services (the live
    server reads committed rows, so these tests run in transactions of their own)."""
    orgs, types = request.getfixturevalue("orgs"), request.getfixturevalue("types")  # noqa: F811
    return {"school": school, "orgs": orgs, "types": types, "member": member}


@pytest.fixture
def sign_in(page, live_server):
    """Open a session for ``user`` (second factor done) and give its cookie to the browser."""
    from django.test import Client

    from tests.conftest import sign_in_with_two_factor

    def as_user(user):
        client = sign_in_with_two_factor(Client(), user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return as_user


class AccessibilityViolation(AssertionError):
    pass


def check_accessibility(page) -> None:
    """axe-core's WCAG 2.2 A and AA rules on the page as it is now; every violation is reported
    with its rule, the elements and the page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target"
        ".join(' ') + ': ' + n.failureSummary)}))",
        WCAG_22_AA,
    )
    if results:
        lines = [f"{page.url}: {len(results)} accessibility violation(s)"]
        for violation in results:
            lines.append(f"- {violation['id']}: {violation['help']}")
            lines.extend(f"    {node}" for node in violation["nodes"][:5])
        raise AccessibilityViolation("\n".join(lines))


def fits_320_css_pixels(page) -> None:
    """WCAG 1.4.10 (reflow): at 320 CSS pixels wide, which is 1280 pixels at 400% zoom, the page
    scrolls in one direction only."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wide = page.evaluate(
            "() => [...document.querySelectorAll('body *')]"
            ".filter(e => !e.closest('.app-table-scroll')"
            " && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
            ".slice(-5).map(e => e.tagName + "
            "'.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 320px: {wide}"
    finally:
        page.set_viewport_size(size)


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    page.screenshot(path=str(SCREENSHOTS / f"{slug}.png"), full_page=True)

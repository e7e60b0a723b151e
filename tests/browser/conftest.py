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
# A second engine, with rules of its own: HTML_CodeSniffer's WCAG 2 AA standard, the engine
# pa11y runs by default, run here in the page itself. Its errors on elements not rendered
# (display: none), which no assistive technology reads, are left out: the select that GOV.UK's
# accessible autocomplete replaces with its labelled box, for one.
HTMLCS = Path(settings.BASE_DIR) / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
HTMLCS_ERRORS = """() => new Promise((resolve) => HTMLCS.process("WCAG2AA", document, () => resolve(
  HTMLCS.getMessages().filter((m) => m.type === HTMLCS.ERROR)
    .filter((m) => !m.element.checkVisibility || m.element === document
      || m.element.checkVisibility()).map((m) => ({
    code: m.code, msg: m.msg,
    element: (m.element.outerHTML || m.element.nodeName || "").slice(0, 160),
  }))
)))"""
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
def sign_in(open_as):
    """``sign_in(user)``: a page signed in as the user, with JavaScript (see ``open_as``)."""
    return open_as


class AccessibilityViolation(AssertionError):
    pass


def check_accessibility(page) -> None:
    """axe-core's WCAG 2.2 A and AA rules and HTML_CodeSniffer's WCAG 2 AA errors on the page
    as it is now; every violation is reported with its rule, the elements and the page."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target"
        ".join(' ') + ': ' + n.failureSummary)}))",
        WCAG_22_AA,
    )
    # axe only marks a reference to a missing element "needs review": a hint or error message
    # a screen reader never hears. Every aria-describedby and aria-labelledby id must exist.
    dangling = page.evaluate(
        "() => [...document.querySelectorAll('[aria-describedby], [aria-labelledby]')]"
        ".flatMap(e => ['aria-describedby', 'aria-labelledby'].flatMap(a =>"
        " (e.getAttribute(a) || '').split(/\\s+/).filter(id => id && !document.getElementById(id))"
        ".map(id => (e.id || e.tagName) + ' ' + a + '=' + id)))"
    )
    results = list(results) + (
        [{"id": "dangling-reference", "help": "aria-describedby/labelledby names no element",
          "nodes": dangling}] if dangling else []
    )  # fmt: skip
    if not page.evaluate("() => typeof window.HTMLCS !== 'undefined'"):
        page.evaluate(HTMLCS.read_text())
    for error in page.evaluate(HTMLCS_ERRORS):
        results.append({"id": f"htmlcs {error['code']}", "help": error["msg"],
                        "nodes": [error["element"]]})  # fmt: skip
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


@pytest.fixture
def open_as(browser, live_server):
    """``open_as(user, javascript=True)``: a page in a browser of the user's own, signed in
    (second factor done). Each user of a journey has their own browser, as in an office."""
    from django.test import Client

    from tests.conftest import sign_in_with_two_factor

    contexts = []

    def open_page(user=None, *, javascript=True):
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=javascript,
            viewport={"width": 1280, "height": 900},
        )  # fmt: skip
        contexts.append(context)
        if user is not None:
            cookie = sign_in_with_two_factor(Client(), user).cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value,
                                  "url": live_server.url}])  # fmt: skip
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# GOV.UK's focus state: a yellow outline or box shadow on the element, or, for radios and
# checkboxes (whose input is transparent), a yellow ring drawn by the label's ::before.
FOCUS_IS_VISIBLE = """el => {
  const drawn = (style) => (style.outlineStyle !== 'none' && style.outlineWidth !== '0px')
    || style.boxShadow !== 'none' || style.backgroundColor === 'rgb(255, 221, 0)';
  if (el.matches('.govuk-radios__input, .govuk-checkboxes__input')) {
    return drawn(getComputedStyle(el.nextElementSibling, '::before'))
      || drawn(getComputedStyle(el.nextElementSibling, '::after'));
  }
  return drawn(getComputedStyle(el));
}"""


class Hands:
    """How a person works the page: with the mouse, or with the keyboard alone. With the
    keyboard, every control is reached by pressing Tab (so a control Tab cannot reach fails the
    journey), and each stop must show where the focus is."""

    def __init__(self, page, *, keyboard: bool = False, audit: bool = True):
        """``audit``: run axe-core on every page a press leads to (it needs JavaScript on) and
        check that page at 320 CSS pixels wide."""
        self.page, self.keyboard, self.audit = page, keyboard, audit

    def tab_to(self, locator, limit: int = 120, *, arrived="el => el === document.activeElement"):
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if locator.evaluate(arrived):
                visible = self.page.evaluate(f"() => ({FOCUS_IS_VISIBLE})(document.activeElement)")
                assert visible, f"focus is not visible on {locator}"
                return
        raise AssertionError(f"Tab never reached {locator} on {self.page.url}")

    def fill(self, locator, text: str) -> None:
        if self.keyboard:
            self.tab_to(locator)
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.type(text)
        else:
            locator.fill(text)

    def choose(self, locator) -> None:
        """A checkbox, or a radio button: Tab enters a group of radios at one of them and the
        arrow keys move (and select) within it."""
        if not self.keyboard:
            locator.check()
            return
        if locator.get_attribute("type") != "radio":
            self.tab_to(locator)
            self.page.keyboard.press("Space")
            return
        self.tab_to(locator, arrived="el => document.activeElement.name === el.name")
        for _ in range(20):
            if locator.evaluate("el => el === document.activeElement"):
                break
            self.page.keyboard.press("ArrowDown")
        self.page.keyboard.press("Space")
        assert locator.is_checked(), f"the arrow keys never reached {locator}"

    def select(self, locator, label: str) -> None:
        if self.keyboard:
            self.tab_to(locator)
            self.page.keyboard.type(label)  # a native select picks the option typed
            assert locator.evaluate("el => el.selectedOptions[0].text") == label
        else:
            locator.select_option(label=label)

    def press(self, locator, *, navigates: bool = True) -> None:
        """A button or a link; the page it leads to is checked with axe-core."""
        if not self.keyboard:
            locator.click()
        elif navigates:
            self.tab_to(locator)
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
        else:
            self.tab_to(locator)
            self.page.keyboard.press("Enter")
        if navigates and self.audit:
            self.page.wait_for_load_state()
            check_accessibility(self.page)
            fits_320_css_pixels(self.page)

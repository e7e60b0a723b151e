"""Each user judges the product by the words on the page. Signed in as each demo user, follow
every link from the home page (as far as 60 pages a role) and fail on the kinds of wording a
user should never read: Python's ``None`` as a value, Django's empty choice ``---------``,
raw field keys, a seed number instead of the rule in words, words run together."""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command

from accounts.models import User

pytestmark = pytest.mark.django_db

DEMO_USERS = [
    "senco@northmoor.example", "screener@northmoor.example", "caseworker@northmoor.example",
    "manager@northmoor.example", "virtualschool@northmoor.example", "admin@northmoor.example",
    "exclusions@northmoor.example", "lamanager@northmoor.example",
]  # fmt: skip
PAGES_PER_ROLE = 60
SKIP = re.compile(
    r"^/(admin|static|sign-out|account/sign-out|two-factor)|download|/export|\.(pdf|docx|csv|xlsx)"
    r"|/documents/\d+/$|format=(csv|xlsx|pdf)"
)
RUN_TOGETHER = re.compile(
    r"(started|sent|accepted|declined|allocated|closed|recorded|added|made|withdrawn|asked|"
    r"answered|redirected|told|agreed|notified)by\s"
)
PROBLEMS = [
    (re.compile(r"(?<![\w-])None(?![\w-])"), "Python's None shown as a value"),
    (re.compile(r"-{5,}|- Select an option -"), "an empty choice as Django writes it"),
    (re.compile(r"\b[Ss]eed 0\d\d\b"), "a seed number instead of the rule in words"),
    (re.compile(r"\b[a-z]+_[a-z_]+\b"), "a raw field key"),
    (re.compile(r"\b(Has [a-z]+views|Targetswithmeasures|Openat(end|start))\b"),
     "a raw field key"),
]  # fmt: skip


class _Page(HTMLParser):
    """The page's visible text and its links."""

    def __init__(self):
        super().__init__()
        self.text, self.raw, self.links, self._hidden = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/"):
                self.links.append(urldefrag(href)[0])

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"}:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.raw.append(data)  # as the page reads aloud: tags with no space between join
            if data.strip():
                self.text.append(data.strip())


def wording_problems(path: str, html: str) -> list[str]:
    """What a user should never read on the page at ``path``: each problem in words."""
    page, found = _Page(), []
    page.feed(html)
    if html.count("<table") != html.count("<caption"):
        found.append(f"{path}: a table without a caption")
    joined = "".join(page.raw)
    for match in RUN_TOGETHER.finditer(joined):
        found.append(f"{path}: words run together: {joined[match.start() - 30 : match.end()]!r}")
    for line in page.text:
        for pattern, why in PROBLEMS:
            match = pattern.search(line)
            if match:
                found.append(f"{path}: {why}: {line[:120]!r}")
    return found


def crawl(client, start="/"):
    seen, queue, found = set(), [start], []
    while queue and len(seen) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, f"{path} answered {response.status_code}"
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        found += wording_problems(path, response.content.decode())
        for link in page.links:
            if urlparse(link).path not in seen and link not in queue:
                queue.append(link)
    return seen, found


def test_no_page_a_demo_user_reaches_shows_developer_wording(client_for):
    call_command("seed_demo", pupils=150)
    problems = []
    for email in DEMO_USERS:
        client = client_for(User.objects.get(email=email))
        seen, found = crawl(client)
        assert len(seen) > 5, f"{email} reached only {sorted(seen)}"
        problems += [f"{email} {problem}" for problem in found]
        client.logout()
    assert problems == [], "\n".join(sorted(set(problems))[:80])

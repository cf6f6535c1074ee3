"""A walk over every page of every demo role, at tablet and desktop size (issue 13).

Each demo login follows every same-site link it is shown, breadth-first from its home page,
in real Chromium on the demo data. Of each URL shape (ids replaced) the first two are
visited. On every page:

- the document is no wider than the viewport at 1366x900 and at 820x1180 (tables scroll in
  their own box, long words wrap): ``document.documentElement.scrollWidth <= innerWidth``;
- every link shown leads somewhere the role may go: no page and no download answers 403
  (or any error);
- the strict Content-Security-Policy holds: Chromium reports no violation (console or
  ``securitypolicyviolation`` event; the control is in test_csp.py).
"""

from __future__ import annotations

import logging
import re
from collections import deque
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest

from ipvb.demo import DEMO_PASSWORD

from .conftest import CspRecorder

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOGINS = (
    "zorg@zonnehof.example",
    "teamleider@zonnehof.example",
    "financieel@zonnehof.example",
    "manager@zonnehof.example",
    "beheer@zonnehof.example",
    "bestuur@zonnehof.example",
    "teamleider@lindehuis.example",
    "regio@ipvb.example",
    "platform@ipvb.example",
    "vilans@ipvb.example",
    "familie@demo.ipvb.nl",
)
SIZES = ((1366, 900), (820, 1180))
# Not pages of the product: sign-in/out and language endpoints, the admin, the API (its own
# tests), the interactive API documentation.
SKIP_PREFIXES = ("/accounts/", "/i18n/", "/beheer/", "/admin/", "/api/", "/static/", "/media/")
DOWNLOAD = re.compile(r"(\.(pdf|xlsx|csv|json)$|/(pdf|xlsx|csv|export|download|downloaden)/?$)")
PER_SHAPE = 1
MAX_PAGES = 150

LOG = logging.getLogger("tests.demo_walk")
LINKS_JS = "els => els.map(e => e.getAttribute('href'))"
WIDTH_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/<id>", re.sub(r"/\d{4}-\d{2}-\d{2}(?=/|$)", "/<date>", path))


def _same_site(href: str | None) -> str | None:
    if not href:
        return None
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _login(page: Any, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()
    assert "/accounts/login" not in page.url, (email, page.url)
    if "/organisatie/kiezen/" in page.url:
        # A member of several organisations chooses one first (the regional manager).
        page.locator(".choice-list button").first.click()
        page.wait_for_load_state()


def _walk(page: Any, email: str, csp: CspRecorder) -> tuple[list[str], list[str], int]:
    """(problems, downloads checked, pages visited) for one login."""
    problems: list[str] = []
    downloads: list[str] = []
    seen_shapes: dict[str, int] = {}
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque([("/", "login")])
    visited = 0
    while queue and visited < MAX_PAGES:
        path, source = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        shape = _shape(urlsplit(path).path) + ("?" if "?" in path else "")
        if seen_shapes.get(shape, 0) >= PER_SHAPE:
            continue
        seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
        if DOWNLOAD.search(urlsplit(path).path):
            response = page.request.get(path, max_redirects=0)
            downloads.append(path)
            if response.status >= 400:
                problems.append(f"{email}: download {path} (linked from {source}) answers {response.status}")
            continue
        page.set_viewport_size({"width": SIZES[0][0], "height": SIZES[0][1]})
        response = page.goto(path)
        visited += 1
        status = response.status if response is not None else 0
        if status >= 400:
            problems.append(f"{email}: {path} (linked from {source}) answers {status}")
            continue
        if urlsplit(page.url).path.startswith("/accounts/login"):
            problems.append(f"{email}: {path} (linked from {source}) sends the user to the login page")
            continue
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            scroll_width, viewport = page.evaluate(WIDTH_JS)
            if scroll_width > viewport:
                problems.append(f"{email}: {path} is {scroll_width} px wide at {width}x{height}")
        policy = response.headers.get("content-security-policy", "") if response is not None else ""
        if "frame-ancestors 'none'" not in policy:
            problems.append(f"{email}: {path} is served without the Content-Security-Policy")
        for href in page.eval_on_selector_all("a[href]", LINKS_JS):
            target = _same_site(href)
            if target is not None and target not in seen:
                queue.append((target, path))
        csp.collect()
    problems.extend(f"{email}: CSP violation {violation}" for violation in csp.violations)
    return problems, downloads, visited


# Two halves of the logins, so that two test processes can walk at once (tests/conftest.py
# gives the second half a group of its own); each half still visits well over 50 pages.
WALKS = {"first": LOGINS[0::2], "second": LOGINS[1::2]}


@pytest.mark.parametrize("walk", list(WALKS))
def test_every_page_of_every_demo_role_fits_and_links_only_where_the_role_may_go(
    browser, live_server, demo, walk: str
) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    totals: dict[str, int] = {}
    for email in WALKS[walk]:
        context = browser.new_context(base_url=live_server.url, locale="nl-NL", has_touch=True)
        page = context.new_page()
        page.set_default_timeout(30000)
        csp = CspRecorder(page)
        try:
            _login(page, email)
            found, downloads, visited = _walk(page, email, csp)
        finally:
            context.close()
        problems.extend(found)
        totals[email] = visited
        LOG.warning(f"demo walk: {email}: {visited} pages, {len(downloads)} downloads, {len(found)} problems")
        # A walk that saw nothing proves nothing: every role has a home page and its menu.
        assert visited >= 3, (email, visited)
    report = "\n".join(problems)
    LOG.warning(f"demo walk ({walk} half): {sum(totals.values())} pages, {totals}\n{report}")
    assert sum(totals.values()) > 50, totals
    assert problems == [], report

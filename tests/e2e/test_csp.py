"""Every main page works under the strict Content-Security-Policy: Chromium reports no
violation (console or ``securitypolicyviolation`` event) while several roles walk their menus,
a client file, a package and the API-key pages on the demo data."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from ipvb.demo import DEMO_PASSWORD

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Runs before any page script; Playwright injects it outside the page's CSP.
COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""

ROLES = ("zorg", "teamleider", "financieel", "manager", "beheer", "bestuur")
EXTRA_PATHS = (
    "/api-sleutel/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/password/change/",
)


class Recorder:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.violations: list[str] = []
        self.visited: list[str] = []
        page.add_init_script(COLLECT)
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.violations.append(f"{self.page.url}: {text}")

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status < 400, (path, response and response.status)
        assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", ""), path
        self.page.wait_for_load_state("networkidle")
        self.collect()
        self.visited.append(path)

    def collect(self) -> None:
        events = self.page.evaluate("window.__cspViolations || []")
        self.violations.extend(f"{self.page.url}: {event}" for event in events)
        self.page.evaluate("window.__cspViolations = []")

    def same_site_links(self, selector: str) -> list[str]:
        hrefs = self.page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
        paths = []
        for href in hrefs:
            parsed = urlparse(href or "")
            if parsed.netloc or not parsed.path.startswith("/") or parsed.path.startswith("/api/"):
                continue
            if parsed.path.endswith((".pdf", "/pdf/", "/export/", "/xlsx/")) or "download" in parsed.path:
                continue
            paths.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
        return list(dict.fromkeys(paths))


def test_main_pages_of_every_role_have_no_csp_violations(page, demo) -> None:  # type: ignore[no-untyped-def]
    recorder = Recorder(page)
    recorder.visit("/accounts/login/")
    for prefix in ROLES:
        login(page, f"{prefix}@zonnehof.example", DEMO_PASSWORD)
        recorder.collect()
        for path in recorder.same_site_links("nav.mainnav a"):
            recorder.visit(path)
            # One level deeper: the first few records of each list (a client file, a package).
            for detail in recorder.same_site_links("main table a")[:2]:
                recorder.visit(detail)
            recorder.visit(path)
        for path in EXTRA_PATHS:
            recorder.visit(path)
        if prefix == "beheer":
            recorder.visit("/gebruikers/api-sleutels/")
            # The API documentation (third-party bundles, served from our own static files).
            recorder.visit("/api/v1/docs/")
            page.wait_for_selector(".swagger-ui .info")
            recorder.collect()
            recorder.visit("/")
        page.get_by_role("button", name="Uitloggen").click()
        page.wait_for_url("**/accounts/login/")
    assert len(recorder.visited) > 40, recorder.visited
    assert recorder.violations == [], "\n".join(recorder.violations)


def test_the_policy_is_enforced_and_the_recorder_sees_it(page, demo) -> None:  # type: ignore[no-untyped-def]
    """Control: an inline style or script added to a page is refused and reported."""
    recorder = Recorder(page)
    login(page, "zorg@zonnehof.example", DEMO_PASSWORD)
    recorder.visit("/")
    page.evaluate(
        """() => {
          document.body.setAttribute("style", "background: red");
          const s = document.createElement("script");
          s.textContent = "window.__inlineRan = true";
          document.body.appendChild(s);
        }"""
    )
    page.wait_for_timeout(300)
    recorder.collect()
    assert page.evaluate("window.__inlineRan === true") is False
    assert any("style-src" in v for v in recorder.violations), recorder.violations
    assert any("script-src" in v for v in recorder.violations), recorder.violations

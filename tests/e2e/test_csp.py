"""Pages work under the strict Content-Security-Policy: Chromium reports no violation (console
or ``securitypolicyviolation`` event). Every product page of every demo login is checked by the
demo walk (test_demo_walk.py); here: the account and API pages it leaves out, and a control
that the policy is enforced and the recorder sees a violation."""

from __future__ import annotations

from typing import Any

import pytest

from ipvb.demo import DEMO_PASSWORD

from .conftest import CspRecorder, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = ("zorg", "teamleider", "financieel", "manager", "beheer", "bestuur")
# The demo walk (test_demo_walk.py) checks every product page of every demo login for
# violations; these are the pages it leaves out (account pages, the API documentation).
EXTRA_PATHS = (
    "/api-sleutel/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/password/change/",
)


class Recorder(CspRecorder):
    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.visited: list[str] = []

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status < 400, (path, response and response.status)
        assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", ""), path
        self.page.wait_for_load_state("networkidle")
        self.collect()
        self.visited.append(path)


def test_account_and_api_pages_of_every_role_have_no_csp_violations(page, demo) -> None:  # type: ignore[no-untyped-def]
    recorder = Recorder(page)
    recorder.visit("/accounts/login/")
    for prefix in ROLES:
        login(page, f"{prefix}@zonnehof.example", DEMO_PASSWORD)
        recorder.collect()
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
    assert len(recorder.visited) >= len(ROLES) * len(EXTRA_PATHS) + 4, recorder.visited
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

"""Transparency reports (issue 12) in the browser: the reporting party logs in with MFA, reads a
report and downloads its PDF; an organisation's admin records consent and rebuilds a report."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from ipvb.roles import Role
from reporting.models import MonthlyReport, ParticipationRecord
from reporting.parties import GROUP_NAME
from tests.factories import UserFactory
from tests.reporting.builders import reporting_world, transparency_world

from .conftest import login, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reporting_party_reads_a_report_and_downloads_the_pdf(tablet_page, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IPVB_REQUIRE_MFA = True
    report = transparency_world(world)["report"]
    user = UserFactory(email="vera@vilans.example")
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAME)[0])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    page = tablet_page
    page.goto("/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill("test-password-123")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_placeholder("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/vilans/")
    assert "Organisatie A" in page.content() and "Organisatie B" not in page.content()
    page.get_by_role("link", name="2026-01").first.click()
    page.wait_for_url(f"**/vilans/rapporten/{report.pk}/")
    assert "Transparantierapport 2026-01" in page.content()
    assert "onderdrukt (minder dan 5 cliënten)" in page.content()  # one client: suppressed
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als PDF").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(4) == b"%PDF"


def test_org_admin_records_consent_and_rebuilds_a_report(page, world) -> None:  # type: ignore[no-untyped-def]
    reporting_world(world)
    login(page, world.user(Role.ORG_ADMIN).email)
    page.goto("/rapportage/transparantie/")
    assert "Vilans ziet niets van deze organisatie" in page.content()
    page.get_by_label("Ondertekend op").fill("2025-11-20")
    page.get_by_label("Ondertekend door (naam bestuurder)").fill("M. de Bestuurder")
    page.get_by_label("Functie ondertekenaar").fill("Voorzitter RvB")
    page.get_by_label("Interne iPVB-projectleider").fill("P. Leider")
    page.get_by_label("Startdatum deelname").fill("2025-12-01")
    page.get_by_label("Toestemming: kostprijsopbouw").check()
    page.get_by_label("Toestemming: bijkoopcatalogus").check()
    page.get_by_label("Toestemming: gebruikscijfers").check()
    page.get_by_role("button", name="Overeenkomst vastleggen").click()
    page.wait_for_url("**/rapportage/transparantie/")
    assert "Toestemming gegeven" in page.content()
    assert ParticipationRecord.objects.for_organisation(world.org_a).get().has_consent
    page.get_by_label("Maand (JJJJ-MM)").fill("2026-01")
    page.get_by_label("Reden").fill("Eerste rapport na toestemming")
    page.get_by_role("button", name="Aanvragen").click()
    page.wait_for_url("**/rapportage/transparantie/")
    assert "Eerste rapport na toestemming" in page.content()
    report = MonthlyReport.objects.for_organisation(world.org_a).get()
    page.get_by_role("link", name="Bekijken").first.click()
    page.wait_for_url(f"**/rapportage/transparantie/{report.pk}/")
    assert "Transparantierapport 2026-01" in page.content()

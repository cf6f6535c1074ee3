"""The programme (issue 15) in the browser: the reporting party publishes a questionnaire
version, reads a screening, the programme overview and a programme report; an org admin fills
in the screening, chooses additions, records a meeting and sees the benchmark."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group

from ipvb.roles import Role
from reporting.parties import GROUP_NAME
from reporting.programme.formulas import question_codes
from reporting.programme.models import InternalMeeting, PackageChoice, QuestionnaireVersion, Screening
from tests.factories import OrganisationFactory, UserFactory
from tests.reporting.builders import transparency_world
from tests.reporting.programme.builders import (
    benchmark_report,
    completed_screening,
    default_questionnaire,
    prices,
)

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_reporting_party_programme_journey(page, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IPVB_REQUIRE_MFA = False
    transparency_world(world)  # org A with consent and the report of January 2026
    default_questionnaire()
    screening = completed_screening(world, score=2)
    user = UserFactory(email="vera@vilans.example")
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAME)[0])
    login(page, user.email)
    page.goto("/vilans/programma/vragenlijsten/")
    page.get_by_role("button", name="Nieuwe versie maken").click()
    page.wait_for_url("**/vilans/programma/vragenlijsten/*/")
    page.get_by_label("Gebieden en vragen").fill(
        "Betrokkenheid van de raad van bestuur\n- Besluit genomen\n\nFinanciën\n- Kostprijzen per niveau\n"
    )
    page.get_by_role("button", name="Concept opslaan").click()
    assert "Het concept is opgeslagen" in page.content()
    page.get_by_role("button", name="Publiceren").click()
    assert "is gepubliceerd" in page.content()
    assert QuestionnaireVersion.objects.get(number=2).status == QuestionnaireVersion.Status.PUBLISHED

    page.goto("/vilans/programma/")
    assert "Organisatie A" in page.content() and "Gereed met voorwaarden" in page.content()
    page.get_by_role("link", name="Antwoorden").first.click()
    page.wait_for_url(f"**/vilans/programma/screenings/{screening.pk}/")
    assert "Kandidaat-afdelingen" in page.content()

    page.goto("/vilans/programma/rapporten/")
    page.get_by_label("Eerste maand (JJJJ-MM)").fill("2026-01")
    page.get_by_label("Laatste maand (JJJJ-MM)").fill("2026-01")
    page.get_by_role("button", name="Programmarapport laten maken").click()
    page.wait_for_url("**/vilans/programma/rapporten/")
    page.get_by_role("link", name="Bekijken").first.click()
    page.wait_for_url("**/vilans/programma/rapporten/*/")
    assert "Programmarapport 2026-01 – 2026-01" in page.content() and "Organisatie A" in page.content()


def test_org_admin_programme_journey(page, world) -> None:  # type: ignore[no-untyped-def]
    prices(datetime.date.today().year)
    default_questionnaire()
    benchmark_report(world.org_a, "58.98", "80.0", "6.0")
    for name, k in (("Organisatie X", "55.00"), ("Organisatie Y", "60.00"), ("Organisatie Z", "62.00")):
        benchmark_report(OrganisationFactory(name=name), k, "85.0", "5.0")
    login(page, world.user(Role.ORG_ADMIN).email)
    page.goto("/programma/screening/")
    for code in question_codes(default_questionnaire().areas):
        page.check(f'input[name="q_{code}"][value="3"]')
    page.get_by_role("button", name="Screening afronden").click()
    page.wait_for_url("**/programma/screening/*/")
    assert "Gereed" in page.content()
    assert Screening.objects.for_organisation(world.org_a).get().outcome == Screening.Outcome.READY

    page.goto("/programma/pakket/")
    page.get_by_label("1. Begeleiding bij interne bijeenkomsten").check()
    page.get_by_role("button", name="Keuze vastleggen").click()
    assert "16.500,00" in page.content()  # 12 500 base + 4 000 guidance
    assert PackageChoice.objects.for_organisation(world.org_a).get().additions == ["guidance"]

    page.goto("/programma/bijeenkomsten/")
    page.get_by_label("Datum").fill((datetime.date.today() - datetime.timedelta(days=2)).isoformat())
    page.get_by_label("Onderwerp").fill("Voortgang pilotafdelingen")
    page.get_by_label("Aanwezig: Raad van bestuur").fill("1")
    page.get_by_label("Aanwezig: Zorgmedewerkers").fill("5")
    page.get_by_role("button", name="Bijeenkomst vastleggen").click()
    page.wait_for_url("**/programma/bijeenkomsten/")
    assert "Voortgang pilotafdelingen" in page.content()
    assert InternalMeeting.objects.for_organisation(world.org_a).get().care_staff == 5

    page.goto("/programma/benchmark/")
    content = page.content()
    assert "Uw organisatie" in content and "<svg" in content and "plaats 2 van 4" in content
    assert "Organisatie X" not in content

"""A financial publishes a new version of the cost-price model; a client's budget changes
from its effective date and not before."""

from decimal import Decimal

import pytest

from costing import formulas
from ipvb.roles import Role
from tests import examples as ex
from tests.costing import builders as b

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _expected_budget_with_new_salary(salary: Decimal) -> str:
    model = formulas.ModelInputs(
        paid_hours=ex.MODEL_INPUTS["paid_hours_per_fte"],
        leave_pct=ex.MODEL_INPUTS["leave_pct"],
        sickness_pct=ex.MODEL_INPUTS["sickness_pct"],
        training_pct=ex.MODEL_INPUTS["training_pct"],
        client_bound_pct=ex.MODEL_INPUTS["client_bound_pct"],
        overhead_pct=ex.MODEL_INPUTS["overhead_pct"],
    )
    k_ig = formulas.level_build_up(
        model, formulas.LevelInputs(salary, Decimal(8), Decimal("8.33"), Decimal(7), Decimal(27))
    ).integral_rate
    g = formulas.group_share([(Decimal(98), k_ig), (Decimal(63), Decimal("54.46"))], 16)
    b_ = formulas.personal_budget(Decimal("1619.42"), Decimal("224.00"), g)
    return f"€ {b_:.2f}".replace(".", ",")


def test_financial_publishes_new_version_and_budget_changes_from_its_date(tablet_page, world) -> None:  # type: ignore[no-untyped-def]
    page = tablet_page
    data = b.world_a(world)
    financial = world.user(Role.FINANCIAL)
    care = world.user(Role.CARE_PROFESSIONAL)

    login(page, financial.email)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Kostprijs").click()
    page.wait_for_url("**/kostprijs/modellen/")
    page.get_by_role("link", name="Versie 1 2026").click()
    assert page.get_by_test_id("rate-verzorgende-ig").inner_text() == "€ 58,98"
    page.get_by_role("link", name="Nieuwe versie maken").click()
    page.get_by_label("Ingangsdatum van de nieuwe versie").fill("2026-07-01")
    page.get_by_label("Wat verandert er en waarom?").fill("Nieuwe cao per 1 juli")
    page.get_by_role("button", name="Concept aanmaken").click()
    page.wait_for_selector("text=Nieuwe versie 2 aangemaakt als concept.")
    assert page.get_by_test_id("model-status").inner_text() == "Concept"

    page.get_by_role("link", name="Functieniveaus wijzigen").click()
    page.get_by_label("Salaris S – Verzorgende IG").fill("3300")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector("text=Functieniveaus opgeslagen.")
    new_rate = page.get_by_test_id("rate-verzorgende-ig").inner_text()
    assert new_rate != "€ 58,98"
    page.get_by_role("button", name="Publiceren").click()
    page.wait_for_selector("text=Model gepubliceerd; het geldt vanaf 01-07-2026.")
    assert page.get_by_test_id("model-status").inner_text() == "Gepubliceerd"
    # A published model offers no edit, only a new version.
    assert page.get_by_role("link", name="Functieniveaus wijzigen").count() == 0
    page.get_by_role("link", name="Vergelijken").click()
    assert page.locator("tr.changed").count() >= 3  # effective date, S and K of verzorgende IG
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/accounts/login/")

    login(page, care.email)
    client = data["client"]
    page.goto(f"/kostprijs/budget/{client.pk}/?budgetdatum=2026-06-30")
    assert page.get_by_test_id("budget-b").inner_text() == "€ 819,73"
    assert page.get_by_test_id("budget-hours").inner_text() == "13,9 uur"
    page.get_by_label("Datum").fill("2026-07-01")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url("**budgetdatum=2026-07-01")
    expected = _expected_budget_with_new_salary(Decimal("3300"))
    assert page.get_by_test_id("budget-b").inner_text() == expected
    assert expected != "€ 819,73"
    assert page.get_by_test_id("budget-r").inner_text() == "€ 1.619,42"

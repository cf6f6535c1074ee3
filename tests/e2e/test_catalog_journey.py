"""A financial adds an add-on item on a tablet; a care professional then finds it in the
catalogue, next to the activities priced from the published cost-price model."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import AddOnItem
from catalog.selectors import addon_price
from ipvb.roles import Role
from tests.catalog.builders import activity
from tests.factories import cost_model

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_financial_adds_an_addon_item_and_care_professional_sees_it(tablet_page, world) -> None:  # type: ignore[no-untyped-def]
    page = tablet_page
    start = timezone.localdate().replace(month=1, day=1)
    cost_model(world.org_a, effective_from=start)
    activity(world.org_a, active_from=start)
    financial = world.user(Role.FINANCIAL)
    care = world.user(Role.CARE_PROFESSIONAL)

    login(page, financial.email)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Bijkoopbeheer").click()
    page.wait_for_url("**/catalogus/beheer/bijkoop/")
    page.get_by_role("link", name="Nieuw bijkoopartikel").click()
    page.wait_for_url("**/catalogus/beheer/bijkoop/nieuw/")
    page.get_by_label("Naam").fill("Manicure")
    page.get_by_label("Omschrijving").fill("Handen en nagels verzorgen door de schoonheidsspecialiste.")
    page.get_by_label("Categorie").select_option("other")
    page.get_by_role("combobox", name="Eenheid").select_option("per_time")
    page.get_by_label("Prijs per eenheid, inclusief btw (€)").fill("19,50")
    page.get_by_label("21 % (hoog tarief)").check()
    button = page.get_by_role("button", name="Opslaan")
    assert button.bounding_box()["height"] >= 44
    button.click()

    page.wait_for_url("**/catalogus/beheer/bijkoop/")
    assert "Bijkoopartikel Manicure toegevoegd." in page.locator(".messages").inner_text()
    row = page.get_by_role("row", name=re.compile("Manicure"))
    assert "€ 19,50" in row.inner_text() and "21 %" in row.inner_text()
    item = AddOnItem.objects.for_organisation(world.org_a).get(name="Manicure")
    assert addon_price(item=item, on_date=timezone.localdate()).price_incl_vat == Decimal("19.50")
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/accounts/login/")

    login(page, care.email)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Catalogus").click()
    page.wait_for_url("**/catalogus/")
    entry = page.locator(f'[data-addon="{item.pk}"]')
    assert "Manicure" in entry.inner_text()
    assert "€ 19,50" in entry.inner_text() and "per keer" in entry.inner_text()
    assert "Ochtendzorg: wassen en aankleden" in page.content()
    assert "€ 24,58" in page.locator('[data-code="PV-01"]').inner_text()
    # Large type for care staff and families.
    size = page.locator(f'[data-addon="{item.pk}"] .entry-name').evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 20

    # Search narrows the list in place (htmx) and keeps the new item findable.
    page.get_by_role("searchbox", name="Zoeken").fill("mani")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(re.compile(r".*/catalogus/\?.*q=mani.*"))
    expect(page.locator('[data-code="PV-01"]')).to_have_count(0)
    expect(page.locator(f'[data-addon="{item.pk}"]')).to_be_visible()

    page.get_by_role("link", name="Afdrukversie (grote letters)").click()
    page.wait_for_url("**/catalogus/afdrukken/")
    assert "Manicure" in page.locator(".catalogue").inner_text()
    page.emulate_media(media="print")
    assert page.locator(".topbar").is_hidden()

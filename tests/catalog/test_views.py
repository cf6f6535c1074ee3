"""The catalogue screens: maintenance by financial staff, the read-only catalogue for every
role, bad input on the forms, and tenant isolation of what the pages show."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog import selectors
from catalog.models import Activity, AddOnItem, AddOnPrice
from ipvb.roles import Role
from tests.factories import cost_model, staff_level

from .builders import activity, addon
from .test_import_export import ACTIVITY_HEADERS, activity_row, xlsx

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(world):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    cost_model(world.org_a, effective_from=today.replace(month=1, day=1))
    cost_model(world.org_b, effective_from=today.replace(month=1, day=1))
    return {
        "activity": activity(world.org_a, active_from=today.replace(month=1, day=1)),
        "group": activity(
            world.org_a,
            code="GA-02",
            name="Muziekmiddag",
            category="group",
            default_minutes=90,
            default_level="welzijnsmedewerker",
            is_group=True,
            group_size=10,
            active_from=today.replace(month=1, day=1),
        ),
        "addon": addon(world.org_a, active_from=today.replace(month=1, day=1)),
        "other": activity(
            world.org_b, code="B-ONLY", name="Alleen bij B", active_from=today.replace(month=1, day=1)
        ),
        "other_addon": addon(
            world.org_b, name="Alleen bij B bijkoop", active_from=today.replace(month=1, day=1)
        ),
    }


def _form_data(level, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "code": "NW-01",
        "name": "Nieuwe activiteit",
        "description": "Iets nieuws.",
        "category": "wellbeing",
        "default_minutes": "30",
        "default_level": str(level.pk),
        "wlz_eligible": "on",
        "active_from": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", [Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.FINANCIAL])
def test_every_role_browses_the_catalogue_with_prices(world, catalogue, role) -> None:
    response = world.client(role).get(reverse("catalog_browse"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ochtendzorg: wassen en aankleden" in html
    assert "€ 24,58" in html  # 25 min at K 58.98
    assert "Muziekmiddag" in html and "€ 8,11" in html and "per deelnemer" in html
    assert "Kapper: knippen" in html and "€ 24,50" in html and "incl. 21 % btw" in html
    assert "Alleen bij B" not in html


def test_browse_filters_by_search_and_category(world, catalogue) -> None:
    client = world.client(Role.CARE_PROFESSIONAL)
    html = client.get(reverse("catalog_browse"), {"q": "muziek"}).content.decode()
    assert "Muziekmiddag" in html and "Ochtendzorg" not in html
    html = client.get(reverse("catalog_browse"), {"category": "b:hairdresser"}).content.decode()
    assert "Kapper: knippen" in html and "Ochtendzorg" not in html
    html = client.get(reverse("catalog_browse"), {"category": "a:group"}).content.decode()
    assert "Muziekmiddag" in html and "Kapper: knippen" not in html


def test_printable_catalogue_has_large_type_and_print_styles(world, catalogue) -> None:
    html = world.client(Role.CARE_PROFESSIONAL).get(reverse("catalog_print")).content.decode()
    # Styles and the print button's script come from static files (no inline code under the CSP).
    assert "/static/css/catalog.css" in html and "<style" not in html
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/catalog.css")).read_text()
    assert "@media print" in css and "font-size: 14pt" in css
    assert "Ochtendzorg" in html and "Kapper: knippen" in html
    assert 'data-action="print"' in html and "onclick" not in html


def test_activity_list_shows_old_and_new_price_side_by_side(world, catalogue) -> None:
    today = timezone.localdate()
    future = today + datetime.timedelta(days=20)
    if future.year != today.year:
        future = today.replace(month=12, day=31)
    if future <= today:  # pragma: no cover - 31 December
        pytest.fail("run the suite on another day than 31 December")
    cost_model(world.org_a, effective_from=future, salary_factor=D("1.05"))
    response = world.client(Role.FINANCIAL).get(reverse("catalog_activity_list"))
    html = response.content.decode()
    assert "Nieuwe prijs" in html and f"vanaf {future:%d-%m-%Y}" in html
    new_price = selectors.activity_price(activity=catalogue["activity"], on_date=future)
    assert new_price > D("24.58")
    assert "€ 24,58" in html
    assert f"€ {new_price:.2f}".replace(".", ",") in html
    assert "Alleen bij B" not in html


def test_activity_list_filters(world, catalogue) -> None:
    client = world.client(Role.FINANCIAL)
    html = client.get(reverse("catalog_activity_list"), {"category": "group"}).content.decode()
    assert "Muziekmiddag" in html and "Ochtendzorg" not in html
    html = client.get(reverse("catalog_activity_list"), {"q": "PV-01"}).content.decode()
    assert "Ochtendzorg" in html and "Muziekmiddag" not in html
    html = client.get(reverse("catalog_activity_list"), {"status": "inactive"}).content.decode()
    assert "Geen activiteiten gevonden" in html


def test_financial_adds_an_activity(world, catalogue) -> None:
    level = staff_level(world.org_a, "welzijnsmedewerker")
    response = world.client(Role.FINANCIAL).post(reverse("catalog_activity_create"), _form_data(level))
    assert response.status_code == 302
    created = Activity.objects.for_organisation(world.org_a).get(code="NW-01")
    assert created.default_level == level and created.wlz_eligible


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"default_minutes": "-5"}, "minstens 1"),
        ({"code": "PV-01"}, "wordt al gebruikt"),
        ({"is_group": "on", "group_size": ""}, "groepsgrootte"),
        ({"is_group": "on", "group_size": "1"}, "minstens 2"),
        ({"active_until": "2000-01-01"}, "De einddatum ligt vóór de begindatum"),
    ],
)
def test_bad_activity_input_gets_a_clear_message_and_saves_nothing(
    world, catalogue, overrides, field_message
) -> None:
    level = staff_level(world.org_a, "verzorgende-ig")
    before = Activity.objects.for_organisation(world.org_a).count()
    response = world.client(Role.FINANCIAL).post(
        reverse("catalog_activity_create"), _form_data(level, **overrides)
    )
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert Activity.objects.for_organisation(world.org_a).count() == before


def test_a_level_outside_the_model_is_refused_on_the_form(world, catalogue) -> None:
    level = staff_level(world.org_a, "verpleegkundige-5")  # in the organisation, not in the model
    response = world.client(Role.FINANCIAL).post(reverse("catalog_activity_create"), _form_data(level))
    assert response.status_code == 200
    assert "heeft geen tarief voor het niveau" in response.content.decode()
    assert not Activity.objects.for_organisation(world.org_a).filter(code="NW-01").exists()


def test_a_level_of_another_organisation_is_not_a_choice(world, catalogue) -> None:
    level_b = staff_level(world.org_b, "helpende")
    response = world.client(Role.FINANCIAL).post(reverse("catalog_activity_create"), _form_data(level_b))
    assert response.status_code == 200
    assert "Kies een deskundigheidsniveau van uw organisatie" in response.content.decode()


def test_update_page_explains_the_price(world, catalogue) -> None:
    client = world.client(Role.FINANCIAL)
    url = reverse("catalog_activity_update", args=[catalogue["group"].pk])
    html = client.get(url).content.decode()
    assert "€ 54,06 per uur" in html and "÷ 10" in html and "€ 8,11" in html
    response = client.post(
        url,
        _form_data(
            staff_level(world.org_a, "welzijnsmedewerker"),
            code="GA-02",
            name="Muziekmiddag",
            category="group",
            default_minutes="60",
            is_group="on",
            group_size="6",
        ),
    )
    assert response.status_code == 302
    catalogue["group"].refresh_from_db()
    assert (catalogue["group"].default_minutes, catalogue["group"].group_size) == (60, 6)


def test_deactivate_and_activate_from_the_list(world, catalogue) -> None:
    client = world.client(Role.FINANCIAL)
    url = reverse("catalog_activity_toggle", args=[catalogue["activity"].pk])
    response = client.post(url, {"active": "0", "next": "https://evil.example/"})
    assert response["Location"] == reverse("catalog_activity_list")
    catalogue["activity"].refresh_from_db()
    assert not catalogue["activity"].is_active_on(timezone.localdate())
    html = world.client(Role.CARE_PROFESSIONAL).get(reverse("catalog_browse")).content.decode()
    assert "Ochtendzorg" not in html
    client.post(url, {"active": "1"})
    catalogue["activity"].refresh_from_db()
    assert catalogue["activity"].is_active_on(timezone.localdate())


def test_activity_import_screen(world, catalogue) -> None:
    client = world.client(Role.FINANCIAL)
    good = xlsx(
        ACTIVITY_HEADERS, [activity_row("IMP-1", **{"actief vanaf": timezone.localdate().isoformat()})]
    )
    response = client.post(
        reverse("catalog_activity_import"), {"file": SimpleUploadedFile("a.xlsx", good)}, follow=True
    )
    assert "1 nieuw" in response.content.decode()
    assert Activity.objects.for_organisation(world.org_a).filter(code="IMP-1").exists()
    bad = xlsx(ACTIVITY_HEADERS, [activity_row("IMP-2"), activity_row("IMP-3", **{"minuten per keer": -1})])
    response = client.post(reverse("catalog_activity_import"), {"file": SimpleUploadedFile("b.xlsx", bad)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Niets ingelezen" in html and "Regel 3" in html
    assert not Activity.objects.for_organisation(world.org_a).filter(code__in=["IMP-2", "IMP-3"]).exists()


def test_exports_are_xlsx_of_the_own_organisation(world, catalogue) -> None:
    client = world.client(Role.FINANCIAL)
    for name in ("catalog_activity_export", "catalog_addon_export"):
        response = client.get(reverse(name))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        assert response.content[:2] == b"PK"
        assert b"Alleen bij B" not in response.content


def test_financial_adds_an_addon_item_and_a_new_price(world, catalogue) -> None:
    client = world.client(Role.FINANCIAL)
    today = timezone.localdate()
    response = client.post(
        reverse("catalog_addon_create"),
        {
            "name": "Manicure",
            "description": "Handen en nagels verzorgen.",
            "category": "other",
            "unit": "per_time",
            "price_incl_vat": "19,50",
            "vat_rate": "21",
            "active_from": today.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = AddOnItem.objects.for_organisation(world.org_a).get(name="Manicure")
    assert selectors.addon_price(item=item, on_date=today).price_incl_vat == D("19.50")
    later = today + datetime.timedelta(days=30)
    response = client.post(
        reverse("catalog_addon_price_create", args=[item.pk]),
        {"valid_from": later.isoformat(), "price_incl_vat": "21.00", "vat_rate": "21"},
    )
    assert response.status_code == 302
    html = client.get(reverse("catalog_addon_update", args=[item.pk])).content.decode()
    assert "Prijshistorie" in html and "€ 19,50" in html and "€ 21,00" in html and "aangekondigd" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"price_incl_vat": "-1", "vat_rate": "21"}, "negatief"),
        ({"price_incl_vat": "10", "vat_rate": "19"}, "0, 9 of 21"),
        ({"price_incl_vat": "10", "vat_rate": "21", "valid_from": "2000-01-01"}, "verleden"),
    ],
)
def test_bad_price_input_saves_nothing(world, catalogue, data, message) -> None:
    item = catalogue["addon"]
    payload = {"valid_from": timezone.localdate().isoformat(), **data}
    response = world.client(Role.FINANCIAL).post(
        reverse("catalog_addon_price_create", args=[item.pk]), payload
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AddOnPrice.objects.for_organisation(world.org_a).filter(item=item).count() == 1


def test_overlapping_price_on_the_form(world, catalogue) -> None:
    item = catalogue["addon"]
    client = world.client(Role.FINANCIAL)
    later = timezone.localdate() + datetime.timedelta(days=10)
    client.post(
        reverse("catalog_addon_price_create", args=[item.pk]),
        {"valid_from": later.isoformat(), "price_incl_vat": "25.00", "vat_rate": "21"},
    )
    response = client.post(
        reverse("catalog_addon_price_create", args=[item.pk]),
        {"valid_from": later.isoformat(), "price_incl_vat": "26.00", "vat_rate": "21"},
    )
    assert "overlapt" in response.content.decode()
    assert AddOnPrice.objects.for_organisation(world.org_a).filter(item=item).count() == 2


def test_addon_list_and_deactivation(world, catalogue) -> None:
    client = world.client(Role.FINANCIAL)
    html = client.get(reverse("catalog_addon_list")).content.decode()
    assert "Kapper: knippen" in html and "Alleen bij B" not in html
    client.post(reverse("catalog_addon_toggle", args=[catalogue["addon"].pk]), {"active": "0"})
    html = world.client(Role.CARE_PROFESSIONAL).get(reverse("catalog_browse")).content.decode()
    assert "Kapper: knippen" not in html


def test_navigation_by_role(world, catalogue) -> None:
    care = world.client(Role.CARE_PROFESSIONAL).get(reverse("home")).content.decode()
    assert reverse("catalog_browse") in care and reverse("catalog_activity_list") not in care
    financial = world.client(Role.FINANCIAL).get(reverse("home")).content.decode()
    assert reverse("catalog_activity_list") in financial and reverse("catalog_addon_list") in financial


def _future_date() -> datetime.date:
    today = timezone.localdate()
    future = min(today + datetime.timedelta(days=20), today.replace(month=12, day=31))
    if future <= today:  # pragma: no cover - 31 December
        pytest.fail("run the suite on another day than 31 December")
    return future


def test_browse_announces_a_coming_price(world, catalogue) -> None:
    future = _future_date()
    cost_model(world.org_a, effective_from=future, salary_factor=D("1.05"))
    new_price = selectors.activity_price(activity=catalogue["activity"], on_date=future)
    html = world.client(Role.CARE_PROFESSIONAL).get(reverse("catalog_browse")).content.decode()
    price_text = f"{new_price:.2f}".replace(".", ",")
    assert f"vanaf {future:%d-%m-%Y}: € {price_text}" in html


def test_after_a_change_the_list_shows_the_old_price_next_to_the_new(world) -> None:
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    if today == start:  # pragma: no cover - 1 January
        pytest.fail("run the suite on another day than 1 January")
    cost_model(world.org_a, effective_from=start, salary_factor=D("0.97"))
    cost_model(world.org_a, effective_from=today)
    activity(world.org_a, active_from=start)
    html = world.client(Role.FINANCIAL).get(reverse("catalog_activity_list")).content.decode()
    day_before = today - datetime.timedelta(days=1)
    assert "Oude prijs" in html and f"t/m {day_before:%d-%m-%Y}" in html
    assert "€ 24,58" in html  # the new (worked example) price
    old = selectors.activity_price(
        activity=Activity.objects.for_organisation(world.org_a).get(), on_date=day_before
    )
    assert old < D("24.58")
    assert f"€ {old:.2f}".replace(".", ",") in html


@pytest.mark.parametrize("name", ["catalog_browse", "catalog_activity_list", "catalog_addon_list"])
def test_pages_do_not_query_per_row(world, catalogue, name) -> None:
    client = world.client(Role.FINANCIAL)
    client.get(reverse(name))  # warm up (session, membership)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(name))
    start = timezone.localdate().replace(month=1, day=1)
    for index in range(15):
        activity(world.org_a, code=f"EXTRA-{index}", name=f"Extra {index}", active_from=start)
        addon(world.org_a, name=f"Extra artikel {index}", active_from=start)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(name))
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]

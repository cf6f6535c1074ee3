"""XLSX import and export of both catalogues: the export reads back in unchanged, and an import
is all or nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from catalog import exports, imports, selectors
from catalog.addons import addon_price_set
from catalog.models import Activity, AddOnItem, AddOnPrice
from catalog.spreadsheets import ACTIVITY_COLUMNS, ADDON_COLUMNS
from tests.examples import JAN_2026
from tests.factories import cost_model, staff_level

from .builders import activity, addon

D = Decimal
pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 1)
ACTIVITY_HEADERS = [label for label, _field in ACTIVITY_COLUMNS]
ADDON_HEADERS = [label for label, _field in ADDON_COLUMNS]


def xlsx(headers: list[str], rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def activity_row(code: str = "PV-01", **overrides: Any) -> list[Any]:
    values = {
        "code": code,
        "naam": "Ochtendzorg",
        "omschrijving": "Wassen en aankleden.",
        "categorie": "Persoonlijke verzorging",
        "minuten per keer": 25,
        "niveau": "verzorgende-ig",
        "wlz": "ja",
        "groepsactiviteit": "nee",
        "groepsgrootte": None,
        "actief vanaf": "01-01-2026",
        "actief tot": None,
    }
    values.update(overrides)
    return [values[h] for h in ACTIVITY_HEADERS]


def addon_row(name: str = "Pedicure", **overrides: Any) -> list[Any]:
    values = {
        "naam": name,
        "omschrijving": "Voeten verzorgen.",
        "categorie": "Pedicure",
        "eenheid": "per keer",
        "prijs incl. btw": "36,50",
        "btw %": 21,
        "prijs geldig vanaf": "01-01-2026",
        "actief vanaf": "01-01-2026",
        "actief tot": None,
    }
    values.update(overrides)
    return [values[h] for h in ADDON_HEADERS]


def test_activities_import_creates_and_updates(world) -> None:
    cost_model(world.org_a)
    activity(world.org_a, code="PV-01", default_minutes=20)
    content = xlsx(
        ACTIVITY_HEADERS,
        [
            activity_row("PV-01"),
            activity_row(
                "GA-02",
                naam="Muziekmiddag",
                categorie="group",
                **{
                    "minuten per keer": 90,
                    "niveau": "Welzijnsmedewerker",
                    "groepsactiviteit": "ja",
                    "groepsgrootte": 10,
                },
            ),
        ],
    )
    result = imports.activities_import(organisation=world.org_a, content=content, today=TODAY)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert Activity.objects.for_organisation(world.org_a).get(code="PV-01").default_minutes == 25
    music = Activity.objects.for_organisation(world.org_a).get(code="GA-02")
    assert music.is_group and music.group_size == 10
    assert selectors.activity_price(activity=music, on_date=JAN_2026) == D("8.11")


def test_activities_import_is_all_or_nothing(world) -> None:
    cost_model(world.org_a, level_codes=("helpende", "verzorgende-ig"))
    staff_level(world.org_a, "welzijnsmedewerker")
    content = xlsx(
        ACTIVITY_HEADERS,
        [
            activity_row("OK-01"),
            activity_row("BAD-1", **{"minuten per keer": -5}),
            activity_row("OK-01", naam="Dubbel"),
            activity_row("BAD-2", niveau="welzijnsmedewerker"),
            activity_row("BAD-3", niveau="directeur"),
            activity_row("BAD-4", categorie="sauna"),
        ],
    )
    with pytest.raises(ValidationError) as exc:
        imports.activities_import(organisation=world.org_a, content=content, today=TODAY)
    messages = exc.value.messages
    assert messages[0].startswith("Niets ingelezen")
    text = "\n".join(messages)
    assert "Regel 3, minuten per keer" in text
    assert "Regel 4, code" in text and "regel 2" in text
    assert "Regel 5, niveau" in text and "geen tarief" in text
    assert "Regel 6, niveau" in text and "directeur" in text
    assert "Regel 7, categorie" in text
    assert not Activity.objects.for_organisation(world.org_a).exists()  # the good row neither


def test_activity_export_reads_back_unchanged(world) -> None:
    cost_model(world.org_a)
    activity(world.org_a, code="PV-01")
    activity(
        world.org_a,
        code="GA-01",
        name="Huiskamer",
        category="group",
        default_minutes=180,
        default_level="welzijnsmedewerker",
        is_group=True,
        group_size=8,
        active_until=datetime.date(2026, 12, 31),
    )
    content = exports.activities_export(organisation=world.org_a, on_date=JAN_2026)
    rows = read(content)
    assert rows[0][: len(ACTIVITY_HEADERS)] == ACTIVITY_HEADERS
    assert "prijs per keer" in rows[0]
    by_code = {row[0]: row for row in rows[1:]}
    price_col = rows[0].index("prijs per keer")
    assert D(str(by_code["PV-01"][price_col])) == D("24.58")
    assert D(str(by_code["GA-01"][price_col])) == D("20.27")  # 54.06 x 180 / 60 / 8 = 20.2725
    result = imports.activities_import(organisation=world.org_a, content=content, today=TODAY)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_addons_import_creates_items_and_new_prices(world) -> None:
    item = addon(world.org_a, name="Kapper: knippen")  # 24.50 from 1-1-2026
    content = xlsx(
        ADDON_HEADERS,
        [
            addon_row("Pedicure"),
            addon_row(
                "Kapper: knippen",
                categorie="hairdresser",
                **{"prijs incl. btw": 26, "prijs geldig vanaf": "2026-04-01"},
            ),
        ],
    )
    result = imports.addons_import(organisation=world.org_a, content=content, today=TODAY)
    assert (result.created, result.updated, result.prices) == (1, 1, 1)
    assert selectors.addon_price(item=item, on_date=datetime.date(2026, 3, 31)).price_incl_vat == D("24.50")
    assert selectors.addon_price(item=item, on_date=datetime.date(2026, 4, 1)).price_incl_vat == D("26.00")
    pedicure = AddOnItem.objects.for_organisation(world.org_a).get(name="Pedicure")
    assert selectors.addon_price(item=pedicure, on_date=JAN_2026).price_incl_vat == D("36.50")


def test_addons_import_is_all_or_nothing(world) -> None:
    item = addon(world.org_a, name="Kapper: knippen")
    content = xlsx(
        ADDON_HEADERS,
        [
            addon_row("Nieuw en goed"),
            addon_row("Btw fout", **{"btw %": 19}),
            addon_row("Negatief", **{"prijs incl. btw": "-3,00"}),
            addon_row("Kapper: knippen", **{"prijs incl. btw": 30, "prijs geldig vanaf": "01-02-2026"}),
            addon_row("Eenheid fout", eenheid="per jaar"),
        ],
    )
    with pytest.raises(ValidationError) as exc:
        imports.addons_import(organisation=world.org_a, content=content, today=TODAY)
    text = "\n".join(exc.value.messages)
    assert "Regel 3, btw %" in text and "0, 9 of 21" in text
    assert "Regel 4, prijs incl. btw" in text and "negatief" in text
    assert "Regel 5" in text and "verleden" in text
    assert "Regel 6, eenheid" in text
    assert AddOnItem.objects.for_organisation(world.org_a).count() == 1
    assert AddOnPrice.objects.for_organisation(world.org_a).filter(item=item).count() == 1


def test_addon_export_reads_back_unchanged(world) -> None:
    item = addon(world.org_a)
    addon_price_set(
        item=item, valid_from=datetime.date(2026, 6, 1), price_incl_vat=D("26.00"), vat_rate=21, today=TODAY
    )
    addon(world.org_a, name="Medisch pedicure", category="pedicure", price_incl_vat=D("45.00"), vat_rate=0)
    content = exports.addons_export(organisation=world.org_a, on_date=TODAY)
    rows = read(content)
    assert rows[0][: len(ADDON_HEADERS)] == ADDON_HEADERS
    by_name = {row[0]: row for row in rows[1:]}
    assert D(str(by_name["Kapper: knippen"][4])) == D("24.50")
    assert by_name["Medisch pedicure"][5] == 0
    assert D(str(by_name["Kapper: knippen"][-1])) == D("20.25")  # excl. 21 % VAT
    result = imports.addons_import(organisation=world.org_a, content=content, today=TODAY)
    assert (result.created, result.updated, result.unchanged, result.prices) == (0, 0, 2, 0)
    assert AddOnPrice.objects.for_organisation(world.org_a).count() == 3  # the announced price stays


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a spreadsheet", "geen geldig Excel-bestand"),
        (xlsx(["naam", "iets"], [["a", "b"]]), "ontbreken"),
        (xlsx(ACTIVITY_HEADERS, []), "geen regels"),
    ],
)
def test_unreadable_files_get_a_clear_message(world, content, message) -> None:
    with pytest.raises(ValidationError) as exc:
        imports.activities_import(organisation=world.org_a, content=content, today=TODAY)
    assert message in " ".join(exc.value.messages)


def test_imports_only_touch_the_own_organisation(world) -> None:
    activity(world.org_b, code="PV-01", default_minutes=40)
    cost_model(world.org_a)
    imports.activities_import(
        organisation=world.org_a, content=xlsx(ACTIVITY_HEADERS, [activity_row("PV-01")]), today=TODAY
    )
    assert Activity.objects.for_organisation(world.org_b).get(code="PV-01").default_minutes == 40
    assert Activity.objects.for_organisation(world.org_a).get(code="PV-01").default_minutes == 25

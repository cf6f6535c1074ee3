"""Both catalogues as XLSX files, in the layout the imports (``catalog.imports``) read back."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from .formulas import excl_vat
from .models import ACTIVITY_FIELDS, ActivityCategory, AddOnCategory, AddOnUnit
from .selectors import STATUS_ALL, activities_for, activity_rows, addon_items_for, price_comparison
from .spreadsheets import (
    ACTIVITY_COLUMNS,
    ACTIVITY_EXPORT_EXTRA,
    ADDON_COLUMNS,
    ADDON_EXPORT_EXTRA,
    workbook_bytes,
)

if TYPE_CHECKING:
    from ipvb.models import Organisation


def _cell(field: str, value: Any, choices: dict[str, dict[str, Any]]) -> Any:
    """A value as the sheet holds it: a choice by its Dutch label, a level by its code, yes/no
    in words."""
    if value is None:
        return None
    if field in choices:
        return str(choices[field][value])
    if field == "default_level":
        return value.code
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return value


def activities_export(*, organisation: Organisation, on_date: datetime.date) -> bytes:
    """Every activity (active or not) with its price per occurrence on ``on_date``."""
    activities = activities_for(organisation=organisation, on_date=on_date, status=STATUS_ALL)
    comparison = price_comparison(organisation=organisation, on_date=on_date)
    choices = {"category": dict(ActivityCategory.choices)}
    rows = []
    for row in activity_rows(activities=activities, comparison=comparison):
        cells = [_cell(field, getattr(row.activity, field), choices) for field in ACTIVITY_FIELDS]
        quote = row.quote
        rows.append([*cells, row.price, str(quote.model) if quote else "", quote.rate if quote else None])
    headers = [label for label, _field in ACTIVITY_COLUMNS] + ACTIVITY_EXPORT_EXTRA
    return workbook_bytes(title="Activiteiten", headers=headers, rows=rows)


def addons_export(*, organisation: Organisation, on_date: datetime.date) -> bytes:
    """Every add-on item with the price in force on ``on_date`` (and the date it started)."""
    items = addon_items_for(organisation=organisation, on_date=on_date, status=STATUS_ALL)
    choices = {"category": dict(AddOnCategory.choices), "unit": dict(AddOnUnit.choices)}
    rows = []
    item: Any
    for item in items:
        # An item whose first price lies ahead is exported with that price and its date.
        if item.current_price is not None:
            price, vat_rate, valid_from = item.current_price, item.current_vat_rate, item.current_from
        else:
            price, vat_rate, valid_from = item.next_price, item.next_vat_rate, item.next_from
        values = {"price_incl_vat": price, "vat_rate": vat_rate, "price_from": valid_from}
        cells = [
            _cell(field, values[field] if field in values else getattr(item, field), choices)
            for _label, field in ADDON_COLUMNS
        ]
        rows.append([*cells, excl_vat(price, vat_rate) if price is not None else None])
    headers = [label for label, _field in ADDON_COLUMNS] + ADDON_EXPORT_EXTRA
    return workbook_bytes(title="Bijkoop", headers=headers, rows=rows)

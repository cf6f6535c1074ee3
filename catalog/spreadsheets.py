"""Reading and writing the catalogue spreadsheets (XLSX). Only parsing and layout; the
imports are ``catalog.imports``, the exports ``catalog.exports``."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ipvb import spreadsheets

from .models import ACTIVITY_FIELDS

# Column headers (Dutch, as the financial sees them; the file layout, never translated).
ACTIVITY_HEADERS = {
    "code": "code",
    "name": "naam",
    "description": "omschrijving",
    "category": "categorie",
    "default_minutes": "minuten per keer",
    "default_level": "niveau",
    "wlz_eligible": "wlz",
    "is_group": "groepsactiviteit",
    "group_size": "groepsgrootte",
    "active_from": "actief vanaf",
    "active_until": "actief tot",
}
# (header, field) in the order of the form and the API.
ACTIVITY_COLUMNS = [(ACTIVITY_HEADERS[field], field) for field in ACTIVITY_FIELDS]
ACTIVITY_REQUIRED = {"code", "name", "category", "default_minutes", "default_level"}
ACTIVITY_EXPORT_EXTRA = ["prijs per keer", "kostprijsmodel", "uurtarief niveau"]

ADDON_COLUMNS = [
    ("naam", "name"),
    ("omschrijving", "description"),
    ("categorie", "category"),
    ("eenheid", "unit"),
    ("prijs incl. btw", "price_incl_vat"),
    ("btw %", "vat_rate"),
    ("prijs geldig vanaf", "price_from"),
    ("actief vanaf", "active_from"),
    ("actief tot", "active_until"),
]
ADDON_REQUIRED = {"name", "category", "unit", "price_incl_vat", "vat_rate"}
ADDON_EXPORT_EXTRA = ["prijs excl. btw"]


@dataclass
class SheetRow:
    number: int  # row number as the spreadsheet shows it
    values: dict[str, Any]


def _normalise_header(value: Any) -> str:
    return " ".join(str(value or "").strip().lower().replace("_", " ").split())


def read_rows(*, content: bytes, columns: Sequence[tuple[str, str]], required: set[str]) -> list[SheetRow]:
    """The data rows of the first sheet, keyed by field. Raises ValidationError for a file that
    is not an XLSX workbook, lacks required columns, is empty or exceeds the limits of the one
    spreadsheet reader (``ipvb.spreadsheets``: size, rows, columns, unpacked size)."""
    rows = spreadsheets.read_rows(content=content, formats=("xlsx",))
    header = next(rows, None)
    if header is None:
        raise ValidationError(_("Het bestand is leeg."))
    by_header = dict(columns)
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        field = by_header.get(_normalise_header(cell))
        if field is not None and field not in positions:
            positions[field] = index
    missing = [label for label, field in columns if field in required and field not in positions]
    if missing:
        rows.close()
        raise ValidationError(
            _("Deze kolommen ontbreken in de eerste regel: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    result: list[SheetRow] = []
    for number, row in enumerate(rows, start=2):
        if row is None or all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        values = {field: (row[index] if index < len(row) else None) for field, index in positions.items()}
        result.append(SheetRow(number=number, values=values))
    if not result:
        raise ValidationError(_("Het bestand bevat geen regels onder de kopregel."))
    return result


# Cell parsing: each returns (value, error message or None). --------------------------------


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_int(value: Any) -> tuple[int | None, str | None]:
    if value is None or text(value) == "":
        return None, None
    try:
        number = Decimal(text(value).replace(",", "."))
    except InvalidOperation:
        return None, _("'%(value)s' is geen geheel getal.") % {"value": text(value)}
    if number != number.to_integral_value():
        return None, _("'%(value)s' is geen geheel getal.") % {"value": text(value)}
    return int(number), None


def parse_decimal(value: Any) -> tuple[Decimal | None, str | None]:
    if value is None or text(value) == "":
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raw = repr(value) if isinstance(value, float) else str(value)
    else:
        raw = text(value).replace("€", "").replace(" ", "")
        if "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None, _("'%(value)s' is geen bedrag.") % {"value": text(value)}
    if not number.is_finite():
        return None, _("'%(value)s' is geen bedrag.") % {"value": text(value)}
    return number, None


TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0", ""}


def parse_bool(value: Any) -> tuple[bool | None, str | None]:
    if isinstance(value, bool):
        return value, None
    word = text(value).lower()
    if word in TRUE_WORDS:
        return True, None
    if word in FALSE_WORDS:
        return False, None
    return None, _("'%(value)s' is geen ja of nee.") % {"value": text(value)}


def parse_date(value: Any) -> tuple[datetime.date | None, str | None]:
    if value is None or text(value) == "":
        return None, None
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    raw = text(value)
    for fmt in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(raw, fmt).date(), None  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None, _("'%(value)s' is geen datum (gebruik dd-mm-jjjj).") % {"value": raw}


def parse_choice(value: Any, choices: Iterable[tuple[str, Any]]) -> tuple[str | None, str | None]:
    """A choice by its code or its (Dutch) label, case-insensitive."""
    raw = text(value).lower()
    if not raw:
        return None, None
    for code, label in choices:
        if raw in {str(code).lower(), str(label).lower()}:
            return str(code), None
    options = ", ".join(str(label) for _code, label in choices)
    return None, _("'%(value)s' is geen geldige keuze; kies uit: %(options)s.") % {
        "value": text(value),
        "options": options,
    }


# Writing -----------------------------------------------------------------------------------


def workbook_bytes(*, title: str, headers: list[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ipvb.xlsx import append_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
            14, len(header) + 4
        )
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

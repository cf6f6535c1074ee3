"""Reading an import file (CSV or XLSX from an ECD) into raw rows: the accepted columns and
their aliases, the header mapping, and the refusal of files that cannot be read as a whole.
The rows are checked in ``clients.import_checks``; the two steps are in ``clients.importing``."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ipvb import spreadsheets

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Canonical column -> accepted headers (compared after normalising case, spaces, _ and -).
COLUMNS: dict[str, tuple[str, ...]] = {
    "given_name": ("voornaam", "voornamen", "roepnaam", "given name", "first name"),
    "name_prefix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "name prefix", "prefix"),
    "family_name": ("achternaam", "geslachtsnaam", "family name", "last name"),
    "date_of_birth": ("geboortedatum", "date of birth", "birth date"),
    "bsn": ("bsn", "burgerservicenummer"),
    "department": ("afdeling", "department"),
    "admission_date": ("opnamedatum", "datum opname", "admission date"),
    "wishes": ("wensen", "wensen en voorkeuren", "wishes"),
    "decision_number": ("besluitnummer", "besluitnummer ciz", "decision number"),
    "care_profile": ("zorgprofiel", "profiel", "care profile"),
    "with_treatment": ("met behandeling", "behandeling", "with treatment"),
    "with_day_activities": ("met dagbesteding", "dagbesteding", "with day activities"),
    "grondslag": ("grondslag",),
    "indication_start": ("ingangsdatum", "ingangsdatum indicatie", "indication start"),
    "indication_end": ("einddatum", "einddatum indicatie", "indication end"),
}
REQUIRED = ("given_name", "family_name", "date_of_birth", "bsn", "department", "admission_date")
INDICATION_COLUMNS = (
    "decision_number",
    "care_profile",
    "with_treatment",
    "with_day_activities",
    "grondslag",
    "indication_start",
    "indication_end",
)
INDICATION_REQUIRED = ("decision_number", "care_profile", "grondslag", "indication_start")
HEADER_LABELS = {key: aliases[0] for key, aliases in COLUMNS.items()}
HEADER_LABELS["indication_start"] = "ingangsdatum"


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, encoding or columns)."""


def _normalise_header(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[_\-]", " ", str(text or "").strip().lower())).strip()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if not str(value).startswith(FORMULA_PREFIXES) else str(value)


def read_table(*, name: str, content: bytes) -> list[list[str]]:
    """The file's rows as text, read by the one spreadsheet reader (size, row and column
    limits before parsing; formulas are read as their text so they can be refused)."""
    if not name.lower().endswith((".csv", ".xlsx")):
        raise ImportFileError(_("Kies een CSV- of XLSX-bestand (.csv of .xlsx)."))
    try:
        rows = spreadsheets.read_rows(content=content, name=name, formats=("csv", "xlsx"), data_only=False)
        if name.lower().endswith(".csv"):
            return [list(row) for row in rows]
        return [[_cell_text(value) for value in row] for row in rows]
    except ValidationError as exc:
        if exc.error_list[0].code == "invalid" and name.lower().endswith(".xlsx"):
            raise ImportFileError(
                _("Dit is geen geldig XLSX-bestand. Sla het opnieuw op als Excel-werkmap (.xlsx).")
            ) from exc
        raise ImportFileError(" ".join(exc.messages)) from exc


def map_columns(header: list[str]) -> dict[int, str]:
    """Column index -> canonical name; raises with every problem of the header at once."""
    lookup = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    duplicate: list[str] = []
    for index, title in enumerate(header):
        normal = _normalise_header(title)
        if not normal:
            continue
        key = lookup.get(normal)
        if key is None:
            unknown.append(str(title).strip())
        elif key in mapping.values():
            duplicate.append(str(title).strip())
        else:
            mapping[index] = key
    missing = [HEADER_LABELS[key] for key in REQUIRED if key not in mapping.values()]
    problems = []
    if missing:
        problems.append(_("Verplichte kolommen ontbreken: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Onbekende kolommen: %(columns)s.") % {"columns": ", ".join(unknown)})
    if duplicate:
        problems.append(_("Kolommen komen dubbel voor: %(columns)s.") % {"columns": ", ".join(duplicate)})
    if problems:
        problems.append(
            _("Verwachte kolommen: %(columns)s.")
            % {"columns": ", ".join(HEADER_LABELS[key] for key in COLUMNS)}
        )
        raise ImportFileError(" ".join(problems))
    return mapping


def raw_rows(*, name: str, content: bytes) -> list[dict[str, Any]]:
    """The file as [{"number": line, "raw": {column: text}}], empty rows left out."""
    table = read_table(name=name, content=content)
    if not table or not any(cell.strip() for cell in table[0] if isinstance(cell, str)):
        raise ImportFileError(_("Het bestand is leeg of de eerste regel bevat geen kolomnamen."))
    mapping = map_columns(table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        raw = {key: (cells[index] if index < len(cells) else "") for index, key in mapping.items()}
        raw = {key: ("" if value is None else str(value)) for key, value in raw.items()}
        if not any(value.strip() for value in raw.values()):
            continue
        rows.append({"number": number, "raw": raw})
    if not rows:
        raise ImportFileError(_("Het bestand bevat geen cliënten."))
    return rows

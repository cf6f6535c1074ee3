"""XLSX export of a cost-price model and import of level inputs (HR salary data)."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from ipvb import spreadsheets
from ipvb.xlsx import append_row

from .models import CostPriceModel, StaffLevel
from .selectors import level_rates

LEVEL_IMPORT_COLUMNS = {
    "code": "code",
    "salaris": "salary",
    "vakantietoeslag": "holiday_pct",
    "eindejaarsuitkering": "year_end_pct",
    "ort": "irregular_pct",
    "werkgeverslasten": "employer_charges_pct",
}


def model_workbook(*, model: CostPriceModel) -> bytes:
    """The model with all inputs and every step of the build-up, unrounded where the domain
    keeps it unrounded, so a financial can recompute it."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Model"
    inputs = model.inputs
    rows: list[list[Any]] = [
        [_("Kostprijsmodel"), str(model)],
        [_("Jaar"), model.year],
        [_("Versie"), model.version],
        [_("Status"), str(model.get_status_display())],
        [pgettext("version", "Ingangsdatum"), model.effective_from],
        [_("Gepubliceerd door"), str(model.published_by or "")],
        [_("Gepubliceerd op"), model.published_at.replace(tzinfo=None) if model.published_at else ""],
        [],
        [_("Modelbrede invoer"), ""],
        ["P " + _("betaalde uren per fte per jaar"), inputs.paid_hours],
        ["l " + _("verlof %"), inputs.leave_pct],
        ["s " + _("verzuim %"), inputs.sickness_pct],
        ["t " + _("scholing %"), inputs.training_pct],
        ["b " + _("cliëntgebonden deel %"), inputs.client_bound_pct],
        ["o " + _("opslag overhead %"), inputs.overhead_pct],
        ["A " + _("beschikbare uren"), inputs.available_hours],
        ["C " + _("cliëntgebonden uren per fte"), inputs.client_bound_hours],
        [],
    ]
    for row in rows:
        append_row(sheet, row)
    levels = book.create_sheet("Niveaus")
    append_row(
        levels,
        [
            "code",
            _("naam"),
            "salaris",
            "vakantietoeslag",
            "eindejaarsuitkering",
            "ort",
            "werkgeverslasten",
            "E",
            "D",
            "K",
        ],
    )
    for entry in level_rates(model=model).values():
        ml, b = entry.model_level, entry.build_up
        append_row(
            levels,
            [
                entry.level.code,
                entry.level.name,
                ml.salary,
                ml.holiday_pct,
                ml.year_end_pct,
                ml.irregular_pct,
                ml.employer_charges_pct,
                b.employer_cost,
                b.direct_cost,
                b.integral_rate,
            ],
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def level_import_rows(
    *, model: CostPriceModel, content: bytes
) -> list[tuple[StaffLevel, dict[str, Decimal]]]:
    """Reads level inputs from the first sheet named "Niveaus" (or the first sheet). Columns:
    code, salaris, vakantietoeslag, eindejaarsuitkering, ort, werkgeverslasten. Raises a
    ValidationError listing every problem."""
    rows = spreadsheets.read_rows(content=content, formats=("xlsx",), sheet_name="Niveaus")
    table = [list(row) for row in rows if any(c not in (None, "") for c in row)]
    if not table:
        raise ValidationError(_("Het bestand is leeg."))
    header = [str(c or "").strip().lower() for c in table[0]]
    missing = [c for c in LEVEL_IMPORT_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            _("Deze kolommen ontbreken: %(columns)s. Verwacht: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(LEVEL_IMPORT_COLUMNS)}
        )
    levels = {lvl.code: lvl for lvl in StaffLevel.objects.for_organisation(model.organisation_id)}
    errors: list[str] = []
    result: list[tuple[StaffLevel, dict[str, Decimal]]] = []
    seen: set[str] = set()
    for number, raw in enumerate(table[1:], start=2):
        cells = dict(zip(header, raw, strict=False))
        code = str(cells.get("code") or "").strip().lower()
        level = levels.get(code)
        if level is None:
            errors.append(
                _("Regel %(line)s: onbekend functieniveau '%(code)s'.") % {"line": number, "code": code}
            )
            continue
        if code in seen:
            errors.append(
                _("Regel %(line)s: functieniveau '%(code)s' staat dubbel.") % {"line": number, "code": code}
            )
            continue
        seen.add(code)
        values: dict[str, Decimal] = {}
        for column, name in LEVEL_IMPORT_COLUMNS.items():
            if name == "code":
                continue
            raw_value = cells.get(column)
            try:
                values[name] = Decimal(str(raw_value).strip().replace(",", "."))
            except (InvalidOperation, AttributeError):
                errors.append(
                    _("Regel %(line)s: %(column)s '%(value)s' is geen getal.")
                    % {"line": number, "column": column, "value": raw_value}
                )
        result.append((level, values))
    if errors:
        raise ValidationError(errors)
    if not result:
        raise ValidationError(_("Het bestand bevat geen functieniveaus."))
    return result

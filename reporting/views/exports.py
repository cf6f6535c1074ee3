"""Every dashboard table exports to XLSX with ``?export=<table>`` through the shared spreadsheet
writer: the response, the mixin, and the tables the dashboards share."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, ClassVar

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from ipvb.xlsx import append_row

from .. import formulas
from ..selectors.dashboards import SummaryRow
from ..selectors.formatie import DepartmentFormatie

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAND_LABELS = (
    ("lt70", "< 70 %"),
    ("70_90", "70–90 %"),
    ("90_100", "90–100 %"),
    ("100_110", "100–110 %"),
    ("gt110", "> 110 %"),
)


def workbook_response(
    *, title: str, headers: Sequence[Any], rows: Sequence[Sequence[Any]], filename: str
) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    append_row(sheet, [str(h) for h in headers])
    for row in rows:
        append_row(sheet, list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def summary_table(rows: list[SummaryRow], first: str) -> tuple[list[str], list[list[Any]]]:
    headers = [
        first,
        _("Cliënten"),
        _("Op iPVB"),
        _("Budget per week"),
        _("Pakket per week"),
        _("Benutting %"),
        _("Overschrijdingen"),
        _("Herindicatie"),
        _("Structureel tekort"),
        _("Meerzorg"),
    ]
    body = [
        [
            r.label,
            r.clients,
            r.on_ipvb,
            r.budget,
            r.total,
            r.utilisation_pct,
            r.overrun,
            r.reindication,
            r.structural_deficit,
            r.meerzorg,
        ]
        for r in rows
    ]
    return headers, body


def bands_table(rows: list[SummaryRow], first: str) -> tuple[list[str], list[list[Any]]]:
    headers = [first, *[label for _code, label in BAND_LABELS]]
    return headers, [[r.label, *[r.bands.get(code, 0) for code, _label in BAND_LABELS]] for r in rows]


def formatie_table(items: list[DepartmentFormatie]) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Afdeling"),
        _("Functieniveau"),
        _("Uren pakketten"),
        _("Uren groepsgebonden"),
        _("Benodigde fte"),
        _("Werkelijke fte"),
        _("Verschil fte"),
    ]
    body = []
    for item in items:
        for line in item.lines:
            body.append(
                [
                    item.department.name,
                    line.level.name,
                    formulas.round2(line.package_hours),
                    line.group_hours,
                    line.required_fte,
                    line.actual_fte,
                    line.gap,
                ]
            )
        body.append(
            [item.department.name, _("Totaal"), None, None, item.required_fte, item.actual_fte, item.gap]
        )
    return headers, body


class ExportMixin:
    """``?export=<name>`` answers the named table of ``export_tables()`` as XLSX."""

    request: HttpRequest
    export_stem: ClassVar[str] = "rapportage"

    def export_tables(self) -> dict[str, tuple[Any, list[str], list[list[Any]]]]:
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = request.GET.get("export")
        if name:
            tables = self.export_tables()
            if name not in tables:
                raise Http404(_("Deze tabel bestaat niet."))
            title, headers, rows = tables[name]
            return workbook_response(
                title=title,
                headers=headers,
                rows=rows,
                filename=f"{self.export_stem}-{name}-{timezone.localdate():%Y-%m-%d}.xlsx",
            )
        return super().get(request, *args, **kwargs)  # type: ignore[misc]  # a mixin: the view after it has get()

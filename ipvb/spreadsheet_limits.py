"""The limits every uploaded spreadsheet is read under (``SPREADSHEET_MAX_*`` settings), and
the Dutch refusals that state them. Used by ``ipvb.spreadsheets`` (upload, CSV) and
``ipvb.xlsx_reading`` (XLSX)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = 5 * MIB
    uncompressed_bytes: int = 50 * MIB
    part_bytes: int = 5 * MIB
    compression_ratio: int = 100
    zip_entries: int = 200
    rows: int = 5000
    columns: int = 100
    shared_strings: int = 100_000
    cell_chars: int = 32_767  # Excel's own limit for one cell

    @classmethod
    def from_settings(cls, **overrides: int) -> Limits:
        values = {
            "upload_bytes": getattr(settings, "SPREADSHEET_MAX_UPLOAD_BYTES", cls.upload_bytes),
            "uncompressed_bytes": getattr(
                settings, "SPREADSHEET_MAX_UNCOMPRESSED_BYTES", cls.uncompressed_bytes
            ),
            "part_bytes": getattr(settings, "SPREADSHEET_MAX_PART_BYTES", cls.part_bytes),
            "compression_ratio": getattr(
                settings, "SPREADSHEET_MAX_COMPRESSION_RATIO", cls.compression_ratio
            ),
            "zip_entries": getattr(settings, "SPREADSHEET_MAX_ZIP_ENTRIES", cls.zip_entries),
            "rows": getattr(settings, "SPREADSHEET_MAX_ROWS", cls.rows),
            "columns": getattr(settings, "SPREADSHEET_MAX_COLUMNS", cls.columns),
            "shared_strings": getattr(settings, "SPREADSHEET_MAX_SHARED_STRINGS", cls.shared_strings),
            "cell_chars": getattr(settings, "SPREADSHEET_MAX_CELL_CHARS", cls.cell_chars),
        }
        values.update(overrides)
        return cls(**values)


def megabytes(size: int) -> str:
    return f"{size / MIB:g}"


def too_large(limits: Limits) -> ValidationError:
    return ValidationError(
        _("Het bestand is groter dan %(size)s MB. Splits het in kleinere delen.")
        % {"size": megabytes(limits.upload_bytes)},
        code="too_large",
    )


def too_many_rows(limits: Limits) -> ValidationError:
    return ValidationError(
        _(
            "Het bestand heeft meer dan %(max)s regels (de kopregel niet meegeteld). Splits het in kleinere delen."
        )
        % {"max": limits.rows},
        code="too_many_rows",
    )


def too_many_columns(limits: Limits) -> ValidationError:
    return ValidationError(
        _("Het bestand heeft meer dan %(max)s kolommen. Verwijder de kolommen die niet worden ingelezen.")
        % {"max": limits.columns},
        code="too_many_columns",
    )


def not_xlsx() -> ValidationError:
    return ValidationError(
        _(
            "Het bestand kan niet worden gelezen: dit is geen geldig Excel-bestand (.xlsx). "
            "Sla het opnieuw op als Excel-werkmap (.xlsx)."
        ),
        code="invalid",
    )


def unpacked_too_large(limits: Limits) -> ValidationError:
    return ValidationError(
        _(
            "Het Excel-bestand is uitgepakt te groot (meer dan %(size)s MB, of meer dan %(ratio)s keer zo groot "
            "als het bestand zelf) en wordt niet ingelezen."
        )
        % {"size": megabytes(limits.uncompressed_bytes), "ratio": limits.compression_ratio},
        code="unpacked_too_large",
    )


def cell_too_long(limits: Limits) -> ValidationError:
    return ValidationError(
        _("Een cel bevat meer dan %(max)s tekens.") % {"max": limits.cell_chars}, code="cell_too_long"
    )

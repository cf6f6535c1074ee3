"""Reading every uploaded spreadsheet (client import, tariffs, cost-model levels, catalogues).

One reader with stated limits, checked before any parsing that costs memory or time:

1. the upload size (``read_upload`` looks at ``upload.size`` before reading a byte, and never
   reads more than the limit plus one byte);
2. for XLSX, the zip itself: number of entries, total uncompressed size, compression ratio,
   size of every XML part openpyxl parses whole (styles, workbook, shared strings), and the
   number of shared strings (counted while streaming, not as the file declares it);
3. the sheet that is read: its declared dimension, then a streaming scan of its XML that
   stops at the first row or column beyond the limits or the first oversized cell;
4. only then openpyxl in read-only mode, row by row.

CSV gets the same size, row and column limits. Every refusal is a ``ValidationError`` with a
Dutch message that states the limit; callers save nothing when reading fails.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .spreadsheet_limits import Limits, cell_too_long, too_large, too_many_columns, too_many_rows
from .xlsx_reading import xlsx_rows


def check_size(content: bytes, *, limits: Limits | None = None) -> None:
    limits = limits or Limits.from_settings()
    if len(content) > limits.upload_bytes:
        raise too_large(limits)


def check_upload(upload: Any, *, limits: Limits | None = None) -> None:
    """Refuses an upload by its size without reading it (for a form's ``clean_file``)."""
    limits = limits or Limits.from_settings()
    size = getattr(upload, "size", None)
    if size is not None and size > limits.upload_bytes:
        raise too_large(limits)


def read_upload(upload: Any, *, limits: Limits | None = None) -> bytes:
    """The bytes of an uploaded file; refused by its declared size before reading, and never
    more than the limit plus one byte read."""
    limits = limits or Limits.from_settings()
    check_upload(upload, limits=limits)
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limits.upload_bytes + 1)
    check_size(content, limits=limits)
    return content


def read_rows(
    *,
    content: bytes,
    name: str = "",
    formats: tuple[str, ...] = ("xlsx",),
    sheet_name: str | None = None,
    data_only: bool = True,
    csv_fallback_encoding: str | None = None,
    limits: Limits | None = None,
) -> Generator[tuple[Any, ...], None, None]:
    """The rows of the file (XLSX: the sheet ``sheet_name`` if present, else the first), as
    tuples of cell values, lazily. The file's type comes from ``name``'s extension when it has
    one of ``formats``; a name without extension is read as the first format. Every check
    that can be made before parsing is made on the call; the row and column limits are also
    enforced while iterating. Raises ValidationError."""
    limits = limits or Limits.from_settings()
    check_size(content, limits=limits)
    kind = _kind(name, formats)
    if kind == "csv":
        return _csv_rows(content, limits=limits, fallback_encoding=csv_fallback_encoding)
    return xlsx_rows(content, limits=limits, sheet_name=sheet_name, data_only=data_only)


def _kind(name: str, formats: tuple[str, ...]) -> str:
    lower = (name or "").lower()
    for kind in formats:
        if lower.endswith("." + kind):
            return kind
    if "." not in lower.rsplit("/", 1)[-1] or not lower:
        return formats[0]
    names = " ".join(f".{kind}" for kind in formats)
    if formats == ("xlsx",):
        raise ValidationError(_("Kies een Excel-bestand (.xlsx)."), code="type")
    raise ValidationError(_("Kies een bestand van het type %(types)s.") % {"types": names}, code="type")


def _csv_rows(
    content: bytes, *, limits: Limits, fallback_encoding: str | None
) -> Generator[tuple[Any, ...], None, None]:
    if b"\x00" in content:
        raise ValidationError(
            _("Het bestand bevat binaire gegevens; lever een CSV- of XLSX-bestand aan."), code="binary"
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if fallback_encoding is None:
            raise ValidationError(
                _(
                    "Het bestand is niet in UTF-8 opgeslagen (regel %(line)s bevat een onbekend teken). "
                    "Sla het in Excel op als 'CSV UTF-8 (door komma's gescheiden)' of lever een XLSX-bestand aan."
                )
                % {"line": content[: exc.start].count(b"\n") + 1},
                code="encoding",
            ) from exc
        text = content.decode(fallback_encoding)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return _csv_iter(reader, limits=limits)


def _csv_iter(reader: Any, *, limits: Limits) -> Generator[tuple[Any, ...], None, None]:
    try:
        for number, row in enumerate(reader, start=1):
            if number > limits.rows + 1:
                raise too_many_rows(limits)
            if len(row) > limits.columns:
                raise too_many_columns(limits)
            if any(len(cell) > limits.cell_chars for cell in row):
                raise cell_too_long(limits)
            yield tuple(row)
    except csv.Error as exc:
        raise ValidationError(
            _("Het CSV-bestand kan niet worden gelezen (regel %(line)s).") % {"line": reader.line_num},
            code="invalid",
        ) from exc

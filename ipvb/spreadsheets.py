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
import re
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError, XMLPullParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIB = 1024 * 1024
CHUNK = 64 * 1024
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


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


def _megabytes(size: int) -> str:
    return f"{size / MIB:g}"


def _too_large(limits: Limits) -> ValidationError:
    return ValidationError(
        _("Het bestand is groter dan %(size)s MB. Splits het in kleinere delen.")
        % {"size": _megabytes(limits.upload_bytes)},
        code="too_large",
    )


def _too_many_rows(limits: Limits) -> ValidationError:
    return ValidationError(
        _(
            "Het bestand heeft meer dan %(max)s regels (de kopregel niet meegeteld). Splits het in kleinere delen."
        )
        % {"max": limits.rows},
        code="too_many_rows",
    )


def _too_many_columns(limits: Limits) -> ValidationError:
    return ValidationError(
        _("Het bestand heeft meer dan %(max)s kolommen. Verwijder de kolommen die niet worden ingelezen.")
        % {"max": limits.columns},
        code="too_many_columns",
    )


def _not_xlsx() -> ValidationError:
    return ValidationError(
        _(
            "Het bestand kan niet worden gelezen: dit is geen geldig Excel-bestand (.xlsx). "
            "Sla het opnieuw op als Excel-werkmap (.xlsx)."
        ),
        code="invalid",
    )


def _unpacked_too_large(limits: Limits) -> ValidationError:
    return ValidationError(
        _(
            "Het Excel-bestand is uitgepakt te groot (meer dan %(size)s MB, of meer dan %(ratio)s keer zo groot "
            "als het bestand zelf) en wordt niet ingelezen."
        )
        % {"size": _megabytes(limits.uncompressed_bytes), "ratio": limits.compression_ratio},
        code="unpacked_too_large",
    )


# Upload ----------------------------------------------------------------------------------------


def check_size(content: bytes, *, limits: Limits | None = None) -> None:
    limits = limits or Limits.from_settings()
    if len(content) > limits.upload_bytes:
        raise _too_large(limits)


def check_upload(upload: Any, *, limits: Limits | None = None) -> None:
    """Refuses an upload by its size without reading it (for a form's ``clean_file``)."""
    limits = limits or Limits.from_settings()
    size = getattr(upload, "size", None)
    if size is not None and size > limits.upload_bytes:
        raise _too_large(limits)


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


# Reading ---------------------------------------------------------------------------------------


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
    return _xlsx_rows(content, limits=limits, sheet_name=sheet_name, data_only=data_only)


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


# CSV -------------------------------------------------------------------------------------------


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
                raise _too_many_rows(limits)
            if len(row) > limits.columns:
                raise _too_many_columns(limits)
            if any(len(cell) > limits.cell_chars for cell in row):
                raise _cell_too_long(limits)
            yield tuple(row)
    except csv.Error as exc:
        raise ValidationError(
            _("Het CSV-bestand kan niet worden gelezen (regel %(line)s).") % {"line": reader.line_num},
            code="invalid",
        ) from exc


def _cell_too_long(limits: Limits) -> ValidationError:
    return ValidationError(
        _("Een cel bevat meer dan %(max)s tekens.") % {"max": limits.cell_chars}, code="cell_too_long"
    )


# XLSX ------------------------------------------------------------------------------------------


# Other XML parts openpyxl parses whole (styles, workbook, relations, themes): at most this many
# elements each. A real workbook has a few thousand at most.
MAX_PART_ELEMENTS = 100_000
SHARED_STRINGS = ("xl/sharedStrings.xml", "xl/SharedStrings.xml")
# Elements inside one row (values, formulas, rich-text runs) per allowed column.
ROW_ELEMENTS_PER_COLUMN = 50


def _xlsx_rows(
    content: bytes, *, limits: Limits, sheet_name: str | None, data_only: bool
) -> Generator[tuple[Any, ...], None, None]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_xlsx() from exc
    with archive:
        try:
            scanned = _check_archive(archive, limits=limits)
        except ValidationError:
            raise
        except Exception as exc:  # a damaged or encrypted part (zlib.error, RuntimeError, ...)
            raise _not_xlsx() from exc
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise _not_xlsx() from exc
        try:
            if not workbook.worksheets:
                raise _not_xlsx()
            sheet = (
                workbook[sheet_name]
                if sheet_name and sheet_name in workbook.sheetnames
                else workbook.worksheets[0]
            )
            path = getattr(sheet, "_worksheet_path", None)
            if not path:  # an unexpected openpyxl version: refuse rather than read unchecked
                raise _not_xlsx()
            _check_dimension(sheet, limits=limits)
            path = path.lstrip("/")
            if path not in scanned:
                _scan_sheet(archive, path, limits=limits, stop_at_dimension=False)
            sheet.reset_dimensions()  # the declared size is not trusted for padding rows
        except ValidationError:
            workbook.close()
            raise
        except Exception as exc:
            workbook.close()
            raise _not_xlsx() from exc
    return _sheet_iter(workbook, sheet, limits=limits)


def _sheet_iter(workbook: Any, sheet: Any, *, limits: Limits) -> Generator[tuple[Any, ...], None, None]:
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > limits.rows + 1:
                raise _too_many_rows(limits)
            if len(row) > limits.columns:
                raise _too_many_columns(limits)
            yield tuple(row)
    except ValidationError:
        raise
    except Exception as exc:  # broken XML inside an otherwise valid zip
        raise _not_xlsx() from exc
    finally:
        workbook.close()


def _check_archive(archive: zipfile.ZipFile, *, limits: Limits) -> set[str]:
    """Checks the zip and every XML part before openpyxl sees them; returns the worksheet
    parts that were scanned in full."""
    entries = archive.infolist()
    if len(entries) > limits.zip_entries:
        raise ValidationError(
            _("Het Excel-bestand bestaat uit meer dan %(max)s onderdelen en wordt niet ingelezen.")
            % {"max": limits.zip_entries},
            code="zip_entries",
        )
    total = 0
    for info in entries:
        total += info.file_size
        if total > limits.uncompressed_bytes:
            raise _unpacked_too_large(limits)
        if info.file_size > MIB and info.file_size > limits.compression_ratio * max(info.compress_size, 1):
            raise _unpacked_too_large(limits)
        if not _is_worksheet(info.filename) and info.file_size > limits.part_bytes:
            raise ValidationError(
                _("Een onderdeel van het Excel-bestand (%(part)s) is groter dan %(size)s MB.")
                % {"part": info.filename[:80], "size": _megabytes(limits.part_bytes)},
                code="part_too_large",
            )
    scanned: set[str] = set()
    for info in entries:
        name = info.filename
        if name in SHARED_STRINGS:
            _count_shared_strings(archive, name, limits=limits)
        elif _is_worksheet(name):
            # openpyxl reads each sheet's declared size on opening the workbook, and walks the
            # whole sheet when there is none: such a sheet is checked in full now.
            if _scan_sheet(archive, name, limits=limits, stop_at_dimension=True):
                scanned.add(name)
        elif name.lower().endswith((".xml", ".rels")):
            _check_part(archive, name)
    return scanned


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _walk(archive: zipfile.ZipFile, name: str) -> Iterator[tuple[str, Any]]:
    """("start" | "end", element) of a part, parsed in chunks. An element is dropped from its
    parent once ended, so memory holds one path from the root, never the tree."""
    parser: Any = XMLPullParser(events=("start", "end"))
    stack: list[Any] = []
    try:
        with archive.open(name) as stream:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    parser.close()
                for event, element in parser.read_events():
                    if event == "start":
                        stack.append(element)
                        yield event, element
                    else:
                        yield event, element
                        stack.pop()
                        if stack:
                            stack[-1].remove(element)
                if not chunk:
                    return
                parser.feed(chunk)
    except (ParseError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise _not_xlsx() from exc


def _check_part(archive: zipfile.ZipFile, name: str) -> None:
    for count, (event, _element) in enumerate(_walk(archive, name), start=1):
        if event == "start" and count > 2 * MAX_PART_ELEMENTS:
            raise ValidationError(
                _("Een onderdeel van het Excel-bestand (%(part)s) is te ingewikkeld en wordt niet ingelezen.")
                % {"part": name[:80]},
                code="part_too_complex",
            )


def _count_shared_strings(archive: zipfile.ZipFile, name: str, *, limits: Limits) -> None:
    count = 0
    for event, element in _walk(archive, name):
        if event != "end":
            continue
        tag = _local(element.tag)
        if tag == "t" and element.text and len(element.text) > limits.cell_chars:
            raise _cell_too_long(limits)
        if tag == "si":
            count += 1
            if count > limits.shared_strings:
                raise ValidationError(
                    _(
                        "Het Excel-bestand bevat meer dan %(max)s verschillende teksten en wordt niet ingelezen."
                    )
                    % {"max": limits.shared_strings},
                    code="shared_strings",
                )


def _check_dimension(sheet: Any, *, limits: Limits) -> None:
    max_row = getattr(sheet, "_max_row", None)
    max_column = getattr(sheet, "_max_column", None)
    if max_row is not None and max_row > limits.rows + 1:
        raise _too_many_rows(limits)
    if max_column is not None and max_column > limits.columns:
        raise _too_many_columns(limits)


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _scan_sheet(archive: zipfile.ZipFile, name: str, *, limits: Limits, stop_at_dimension: bool) -> bool:
    """Walks a sheet's XML and stops at the first row or column beyond the limits (counted as
    openpyxl counts them) or the first oversized cell. With ``stop_at_dimension`` a sheet that
    declares its size before its data is left there (openpyxl then reads no further on
    opening). Returns whether the whole sheet was checked."""
    row_number = 0
    column = 0
    cells_in_row = 0
    in_row_elements = 0
    in_data = False
    in_row = False
    outside = 0  # elements outside the cells: column formats, merged cells, validations, ...
    for event, element in _walk(archive, name):
        tag = _local(element.tag)
        if event == "start":
            if tag == "dimension" and stop_at_dimension and not in_data:
                return False
            if tag == "sheetData":
                in_data = True
            elif in_data and tag == "row" and not in_row:
                in_row = True
                reference = element.get("r") or ""
                row_number = int(reference) if reference.isdigit() else row_number + 1
                if row_number > limits.rows + 1:
                    raise _too_many_rows(limits)
                column = 0
                cells_in_row = 0
                in_row_elements = 0
            elif in_row and tag == "c":
                match = _CELL_REF.match(element.get("r") or "")
                column = _column_number(match.group(1)) if match else column + 1
                cells_in_row += 1
                if column > limits.columns or cells_in_row > limits.columns:
                    raise _too_many_columns(limits)
            elif in_row:
                in_row_elements += 1
                if in_row_elements > ROW_ELEMENTS_PER_COLUMN * limits.columns:
                    # openpyxl holds a whole row in memory: no row of a million rich-text runs
                    raise ValidationError(
                        _("Een regel van het werkblad bevat te veel opmaak en wordt niet ingelezen."),
                        code="row_too_complex",
                    )
            else:
                outside += 1
                if outside > MAX_PART_ELEMENTS:
                    raise ValidationError(
                        _("Het werkblad bevat te veel opmaak en wordt niet ingelezen."),
                        code="sheet_too_complex",
                    )
            continue
        if in_row and tag in {"v", "t", "f", "is"} and element.text and len(element.text) > limits.cell_chars:
            raise _cell_too_long(limits)
        if tag == "row" and in_row and in_data:
            in_row = False
        elif tag == "sheetData":
            in_data = False
    return True

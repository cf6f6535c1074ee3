"""Reading an uploaded XLSX file safely (steps 2-4 of ``ipvb.spreadsheets``): the zip and every
XML part openpyxl parses whole are checked first, then the sheet's declared dimension and a
streaming scan of its XML; only then openpyxl in read-only mode, row by row."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Generator, Iterator
from typing import Any
from xml.etree.ElementTree import ParseError, XMLPullParser

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .spreadsheet_limits import (
    MIB,
    Limits,
    cell_too_long,
    megabytes,
    not_xlsx,
    too_many_columns,
    too_many_rows,
    unpacked_too_large,
)

CHUNK = 64 * 1024
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


# Other XML parts openpyxl parses whole (styles, workbook, relations, themes): at most this many
# elements each. A real workbook has a few thousand at most.
MAX_PART_ELEMENTS = 100_000
SHARED_STRINGS = ("xl/sharedStrings.xml", "xl/SharedStrings.xml")
# Elements inside one row (values, formulas, rich-text runs) per allowed column.
ROW_ELEMENTS_PER_COLUMN = 50


def xlsx_rows(
    content: bytes, *, limits: Limits, sheet_name: str | None, data_only: bool
) -> Generator[tuple[Any, ...], None, None]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_xlsx() from exc
    with archive:
        try:
            scanned = _check_archive(archive, limits=limits)
        except ValidationError:
            raise
        except Exception as exc:  # a damaged or encrypted part (zlib.error, RuntimeError, ...)
            raise not_xlsx() from exc
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            raise not_xlsx() from exc
        try:
            if not workbook.worksheets:
                raise not_xlsx()
            sheet = (
                workbook[sheet_name]
                if sheet_name and sheet_name in workbook.sheetnames
                else workbook.worksheets[0]
            )
            path = getattr(sheet, "_worksheet_path", None)
            if not path:  # an unexpected openpyxl version: refuse rather than read unchecked
                raise not_xlsx()
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
            raise not_xlsx() from exc
    return _sheet_iter(workbook, sheet, limits=limits)


def _sheet_iter(workbook: Any, sheet: Any, *, limits: Limits) -> Generator[tuple[Any, ...], None, None]:
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > limits.rows + 1:
                raise too_many_rows(limits)
            if len(row) > limits.columns:
                raise too_many_columns(limits)
            yield tuple(row)
    except ValidationError:
        raise
    except Exception as exc:  # broken XML inside an otherwise valid zip
        raise not_xlsx() from exc
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
            raise unpacked_too_large(limits)
        if info.file_size > MIB and info.file_size > limits.compression_ratio * max(info.compress_size, 1):
            raise unpacked_too_large(limits)
        if not _is_worksheet(info.filename) and info.file_size > limits.part_bytes:
            raise ValidationError(
                _("Een onderdeel van het Excel-bestand (%(part)s) is groter dan %(size)s MB.")
                % {"part": info.filename[:80], "size": megabytes(limits.part_bytes)},
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
        raise not_xlsx() from exc


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
            raise cell_too_long(limits)
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
        raise too_many_rows(limits)
    if max_column is not None and max_column > limits.columns:
        raise too_many_columns(limits)


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
                    raise too_many_rows(limits)
                column = 0
                cells_in_row = 0
                in_row_elements = 0
            elif in_row and tag == "c":
                match = _CELL_REF.match(element.get("r") or "")
                column = _column_number(match.group(1)) if match else column + 1
                cells_in_row += 1
                if column > limits.columns or cells_in_row > limits.columns:
                    raise too_many_columns(limits)
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
            raise cell_too_long(limits)
        if tag == "row" and in_row and in_data:
            in_row = False
        elif tag == "sheetData":
            in_data = False
    return True

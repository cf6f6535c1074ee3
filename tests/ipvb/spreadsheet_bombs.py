"""Malicious spreadsheets built in memory (deflated repetitive XML), for the reader's tests
and the benchmark. Each returns the bytes of an .xlsx (or .csv) file."""

from __future__ import annotations

import functools
import io
import zipfile

from openpyxl import Workbook

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{NS}">'


@functools.cache
def base_workbook() -> bytes:
    """A genuine workbook (content types, relations, styles, shared strings) to graft parts on."""
    book = Workbook()
    book.active.append(["code", "naam"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_parts(parts: dict[str, bytes]) -> bytes:
    """The base workbook with some parts replaced (deflated, as Excel does)."""
    source = zipfile.ZipFile(io.BytesIO(base_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return buffer.getvalue()


def sheet(rows: str, *, dimension: str = "") -> dict[str, bytes]:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return {"xl/worksheets/sheet1.xml": f"{HEAD}{dim}<sheetData>{rows}</sheetData></worksheet>".encode()}


HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'


def compression_bomb(megabytes: int = 8) -> bytes:
    """A few KB that unpack to ``megabytes`` MB of sheet XML."""
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    return with_parts(sheet(HEADER_ROW + row * (megabytes * 1024 * 1024 // len(row))))


@functools.cache
def many_rows(count: int = 500_000) -> bytes:
    """``count`` numbered rows of one number each (the probe's 562 KB, 500,000-row file)."""
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, count + 2))
    return with_parts(sheet(HEADER_ROW + rows))


def declared_huge() -> bytes:
    """Two cells, but a declared size of the whole sheet (openpyxl pads every row to it)."""
    return with_parts(
        sheet(HEADER_ROW + '<row r="2"><c r="B2"><v>1</v></c></row>', dimension="A1:XFD1048576")
    )


def far_cell() -> bytes:
    """One cell in the last column (without declared size): every row padded to 16,384 cells."""
    return with_parts(sheet(HEADER_ROW + '<row r="2"><c r="XFD2"><v>1</v></c></row>'))


def many_columns(count: int = 101) -> bytes:
    cells = "".join(f"<c><v>{n}</v></c>" for n in range(count))
    return with_parts(sheet(f"<row>{cells}</row>"))


def many_shared_strings(count: int = 100_001) -> bytes:
    items = "".join(f"<si><t>{n}</t></si>" for n in range(count))
    strings = f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{NS}" count="{count}" uniqueCount="{count}">{items}</sst>'
    return with_parts({"xl/sharedStrings.xml": strings.encode()})


def long_cell(chars: int = 40_000) -> bytes:
    return with_parts(
        sheet(HEADER_ROW + f'<row r="2"><c r="A2" t="inlineStr"><is><t>{"a" * chars}</t></is></c></row>')
    )


def rich_text_row(runs: int = 5001) -> bytes:
    """One cell of thousands of rich-text runs (openpyxl holds a whole row in memory)."""
    text = "<r><t>a</t></r>" * runs
    return with_parts(sheet(HEADER_ROW + f'<row r="2"><c r="A2" t="inlineStr"><is>{text}</is></c></row>'))


def oversized(megabytes: int = 5) -> bytes:
    """Just over the upload limit."""
    return b"PK" + b"\0" * (megabytes * 1024 * 1024 - 1)


def csv_rows(count: int = 500_000) -> bytes:
    return b"a;b\n" * (count + 1)


def csv_columns(count: int = 101) -> bytes:
    return (";".join(f"k{n}" for n in range(count)) + "\n").encode()


# name -> (builder, file name, words the refusal must contain)
XLSX_BOMBS = {
    "compression": (compression_bomb, "uitgepakt te groot"),
    "500000 rows": (many_rows, "meer dan 5000 regels"),
    "5001 rows": (lambda: many_rows(5001), "meer dan 5000 regels"),
    "declared size": (declared_huge, "meer dan 5000 regels"),
    "far column": (far_cell, "meer dan 100 kolommen"),
    "columns": (many_columns, "meer dan 100 kolommen"),
    "shared strings": (many_shared_strings, "meer dan 100000 verschillende teksten"),
    "long cell": (long_cell, "meer dan 32767 tekens"),
    "rich text row": (rich_text_row, "te veel opmaak"),
    "upload size": (oversized, "groter dan 5 MB"),
}
CSV_BOMBS = {
    "csv rows": (csv_rows, "meer dan 5000 regels"),
    "csv columns": (csv_columns, "meer dan 100 kolommen"),
    "csv upload size": (oversized, "groter dan 5 MB"),
}


def padded(content: bytes, megabytes: float = 4.9) -> bytes:
    """``content`` grown to about ``megabytes`` MB with an incompressible picture, so a small
    bomb becomes a file near the upload limit."""
    import random

    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        noise = random.Random(0).randbytes(int(megabytes * 1024 * 1024) - len(content))
        target.writestr("xl/media/image1.png", noise, compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def within_limits(rows: int = 5000, columns: int = 10, chars: int = 900) -> bytes:
    """As much text as the limits let through: every cell a long, only partly compressible text."""
    import random

    chance = random.Random(1)
    body = [HEADER_ROW]
    for number in range(2, rows + 2):
        cells = []
        for column in range(columns):
            token = "".join(chance.choices("abcdefghijklmnopqrstuvwxyz", k=20))
            text = (token * (chars // 20 + 1))[:chars]
            cells.append(f'<c r="{chr(65 + column)}{number}" t="inlineStr"><is><t>{text}</t></is></c>')
        body.append(f'<row r="{number}">{"".join(cells)}</row>')
    return with_parts(sheet("".join(body)))

"""Writing spreadsheet rows safely: text that looks like a formula stays text (no spreadsheet
injection from user input), and Decimals are written exactly (never through float)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def append_row(sheet: Any, values: Sequence[Any]) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # openpyxl would store it as a formula otherwise

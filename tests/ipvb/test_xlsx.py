import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from ipvb.xlsx import append_row


def test_formula_looking_text_stays_text_and_decimals_are_exact() -> None:
    book = Workbook()
    sheet = book.active
    append_row(sheet, ['=HYPERLINK("http://evil")', Decimal("58.98"), "+31 6 1234"])
    buffer = io.BytesIO()
    book.save(buffer)
    cells = load_workbook(io.BytesIO(buffer.getvalue())).active[1]
    assert cells[0].data_type == "s"
    assert cells[0].value == '=HYPERLINK("http://evil")'
    assert Decimal(str(cells[1].value)) == Decimal("58.98")
    assert cells[2].value == "+31 6 1234"

"""portal/spreadsheets.py: the one writer of the CSV and Excel files the portal hands
out (people exports, an import's rejected rows) never lets a cell become a formula."""

import csv
import io

from openpyxl import Workbook, load_workbook

from portal.spreadsheets import csv_bytes, text_cell

TYPED = ['=HYPERLINK("http://x")', "+1", "@SUM(A1)", "Berg\x01", None, "\uff1d1",
         "+358 40 123 4567", "+358 A1"]
ESCAPED = ["'=HYPERLINK(\"http://x\")", "'+1", "'@SUM(A1)", "Berg\x01", "", "'\uff1d1",
           "'+358 40 123 4567", "'+358 A1"]


def test_csv_and_xlsx_cells_are_escaped_text():
    data = csv_bytes(["Name", "=Value"], [TYPED])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Name", "'=Value"], ESCAPED]

    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append([text_cell(sheet, value) for value in TYPED])
    out = io.BytesIO()
    book.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    # XML cannot hold the control character: it is replaced, not refused.
    # A phone number stays as typed in the .xlsx (a text cell; no function, no reference).
    assert [c.value or "" for c in row] == [ESCAPED[0], "+1", ESCAPED[2], "Berg\ufffd", "",
                                            ESCAPED[5], "+358 40 123 4567", "'+358 A1"]
    assert "f" not in {c.data_type for c in row}

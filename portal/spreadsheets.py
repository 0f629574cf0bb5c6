"""CSV and Excel files the portal hands out (the people admin's export, an import's
rejected rows), written the same way wherever they are made.

Their cells hold what people and registers typed, so a cell may be text that a
spreadsheet would run as a formula (`=HYPERLINK(…)`, `+…`, `-…`, `@…`): every such cell
is written with a leading apostrophe (OWASP's advice for CSV injection), and in an .xlsx
file every text cell is also stored as text, never as a formula. No app's code of its
own, so any app may import it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

# Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
# (also their full-width forms), and the control characters that can start one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PHONE_LIKE = re.compile(r"\+[0-9][0-9 ()-]*")


def escape_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def printable(text: str) -> str:
    # XML 1.0 cannot hold most control characters; openpyxl refuses them.
    return "".join(c if c >= " " or c in "\t\n\r" else "\ufffd" for c in text)


def csv_bytes(header: list, lines: Iterable[list]) -> bytes:
    """UTF-8 with a BOM and semicolons: what Excel in Finland and Sweden opens as is."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(cell) for cell in header])
    for line in lines:
        writer.writerow([escape_cell(cell) for cell in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def text_cell(sheet, value):
    """A write-only sheet's cell holding `value` escaped, as text whatever it starts with.
    A phone number (`+358 40 123 4567`) keeps its plus without the apostrophe: the cell is
    text anyway, and digits, spaces and brackets can call no function nor reach any cell
    even if a later copy makes it a formula — every export's phone column is clean."""
    from openpyxl.cell import WriteOnlyCell

    text = "" if value is None else str(value)
    cell = WriteOnlyCell(sheet, value=printable(
        text if PHONE_LIKE.fullmatch(text) else escape_cell(text)))
    cell.data_type = "s"
    return cell

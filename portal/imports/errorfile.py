"""The rejected rows of an import as a CSV or Excel file for staff to fix and re-import.

Values come from the uploaded file, so a cell may be text that a spreadsheet would run
as a formula: `portal/spreadsheets.py` writes every cell escaped and, in the .xlsx
file, as text, never as a formula.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from portal.spreadsheets import csv_bytes, text_cell


def _header() -> list[str]:
    return [_("Row"), _("Column"), _("Reason"), _("Value")]


def _lines(errors):
    for error in errors.iterator(chunk_size=2000):
        yield [error.row, error.column, error.reason, error.value]


def as_csv(errors) -> bytes:
    return csv_bytes(_header(), _lines(errors))


MIN_WIDTH, MAX_WIDTH = 6, 60  # column widths in characters: readable, never a screen wide


def _widths(errors, header: list[str]) -> list[int]:
    """Each column as wide as its longest cell (with the header), capped: measured by
    the database, since a write-only sheet takes its widths before its rows."""
    from django.db.models import Max
    from django.db.models.functions import Length

    longest = errors.aggregate(row=Max("row"), column=Max(Length("column")),
                               reason=Max(Length("reason")), value=Max(Length("value")))
    content = [len(str(longest["row"] or "")), longest["column"] or 0,
               longest["reason"] or 0, (longest["value"] or 0) + 1]  # + a leading '
    return [min(MAX_WIDTH, max(MIN_WIDTH, len(title), length) + 2)
            for title, length in zip(header, content, strict=True)]


def as_xlsx(errors) -> bytes:
    """The header row bold and frozen, the columns sized to their content (capped)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Rejected rows")[:31])
    header = _header()
    for number, width in enumerate(_widths(errors, header), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    top = Alignment(vertical="top", wrap_text=True)

    def row(values, font=None):
        cells = []
        for value in values:
            if isinstance(value, int):  # the row number, ours
                cell = WriteOnlyCell(sheet, value=value)
            else:
                cell = text_cell(sheet, value)
            cell.alignment = top  # a capped column wraps its long reasons
            if font is not None:
                cell.font = font
            cells.append(cell)
        return cells

    sheet.append(row(header, Font(bold=True)))
    for line in _lines(errors):
        sheet.append(row(line))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

"""Reading uploaded files: encodings, separators, Excel's values, formulas, limits and
damaged files (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from portal.imports.errorfile import as_csv
from portal.imports.reading import FORMULA_WITHOUT_VALUE, ErrorValue, FileRejected, Table
from portal.imports.values import CellError, cell_value
from portal.register.records import KINDS
from portal.spreadsheets import escape_cell

from .files import _rewrite, csv_bytes, xlsx_bytes, zip_bomb_xlsx

PEOPLE = KINDS["people"].by_name


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _read(name, data):
    table = Table(name, data)
    try:
        return table.headers, [(row.number, row.cells) for row in table.rows()]
    finally:
        table.close()


def test_csv_in_windows_1252_with_semicolons():
    data = csv_bytes([["Jäsennumero", "Sukunimi", "Liittynyt"],
                      ["101", "Äimälä", "30.11.2026"], ["102", "Öhman; Åberg", "1.2.2026"]],
                     encoding="cp1252")
    data = data.replace(b"\xd6hman; \xc5berg", b'"\xd6hman; \xc5berg"')
    headers, rows = _read("jäsenet.csv", data)
    assert headers == ["Jäsennumero", "Sukunimi", "Liittynyt"]
    assert rows == [(2, ["101", "Äimälä", "30.11.2026"]), (3, ["102", "Öhman; Åberg", "1.2.2026"])]


def test_csv_in_utf8_with_bom_and_commas():
    headers, rows = _read("people.csv", csv_bytes(
        [["member_number", "last_name"], ["7", "Кузнецов"]], delimiter=",", bom=True))
    assert headers == ["member_number", "last_name"]
    assert rows == [(2, ["7", "Кузнецов"])]


def test_excels_separator_hint_line():
    data = "sep=,\r\nmember_number,city\r\n7,Turku; Åbo\r\n".encode()
    assert _read("x.csv", data) == (["member_number", "city"], [(2, ["7", "Turku; Åbo"])])


def test_csv_rows_are_numbered_as_excel_numbers_them():
    data = b'a;b\r\n1;"two\r\nlines"\r\n\r\n3;x\r\n'
    assert _read("x.csv", data)[1] == [(2, ["1", "two\r\nlines"]), (4, ["3", "x"])]


def test_xlsx_values_and_formulas_are_read_not_calculated():
    data = xlsx_bytes([["member_number", "joined", "count", "note"],
                       [1234, dt.date(2026, 11, 30), "=1+1", "=A2*2"],
                       [None, None, "=1/0", "text"]],
                      cached={"C2": "2"})
    headers, rows = _read("book.xlsx", data)
    assert headers == ["member_number", "joined", "count", "note"]
    (n2, row2), (n3, row3) = rows
    assert (n2, row2[0], row2[1], row2[2]) == (2, 1234, dt.datetime(2026, 11, 30), "2")
    assert row2[3] is FORMULA_WITHOUT_VALUE  # saved without its value: never computed here
    assert row3[2] is FORMULA_WITHOUT_VALUE and row3[3] == "text"


def test_an_error_value_is_a_cell_error():
    data = xlsx_bytes([["a", "b"], ["=1/0", "x"]], cached={"A2": "#DIV/0!"})
    data = _rewrite(data, "xl/worksheets/sheet1.xml",
                    lambda xml: xml.replace('t="str"><f>1/0</f>', 't="e"><f>1/0</f>'))
    value = _read("e.xlsx", data)[1][0][1][0]
    assert isinstance(value, ErrorValue) and value == "#DIV/0!"
    with pytest.raises(CellError, match="#DIV/0!"):
        cell_value(PEOPLE["city"], value)


def test_excel_numbers_become_the_register_values():
    assert cell_value(PEOPLE["member_number"], 1234.0) == "1234"
    assert cell_value(PEOPLE["postal_code"], 100) == "00100"
    assert cell_value(PEOPLE["joined_on"], dt.datetime(2026, 1, 2)) == dt.datetime(2026, 1, 2)
    count = KINDS["workplaces"].by_name["employee_count"]
    assert cell_value(count, "1 234,0") == "1234"
    assert cell_value(count, 12.0) == 12
    with pytest.raises(CellError):
        cell_value(count, "12,5")
    with pytest.raises(CellError):
        cell_value(PEOPLE["city"], FORMULA_WITHOUT_VALUE)


@pytest.mark.parametrize("name,data,says", [
    ("big.csv", b"a\n" + b"x" * 2000, "at most"),
    ("empty.csv", b"", "empty"),
    ("fake.xlsx", b"member_number;name\n1;x\n", "not an Excel workbook"),
    ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200, "damaged"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "Only .xlsx"),
    ("binary.csv", b"a,b\n\x00\x01\x02", "not a text file"),
    ("nohead.csv", b"\n\n1;2\n", "must name the columns"),
    ("latin.csv", b"a;b\n1;2\n" * 20 + b"3;\x81\n", "neither UTF-8 nor Windows-1252"),
])
def test_unreadable_files_are_refused_with_a_reason(settings, name, data, says):
    settings.IMPORTS_MAX_FILE_BYTES = 1000
    with pytest.raises(FileRejected, match=says):
        _read(name, data)


def test_a_zip_bomb_is_refused_before_it_is_opened():
    data = zip_bomb_xlsx(200)
    assert len(data) < 2_000_000
    with pytest.raises(FileRejected, match="zip bomb"):
        Table("bomb.xlsx", data)


def test_the_row_limit(settings):
    settings.IMPORTS_MAX_ROWS = 2
    table = Table("x.csv", csv_bytes([["a"], ["1"], ["2"], ["3"]]))
    with pytest.raises(FileRejected, match="more than 2 rows"):
        list(table.rows())


def test_a_truncated_workbook_is_refused():
    data = xlsx_bytes([["a"], *[[f"row {n}"] for n in range(2000)]])
    with pytest.raises(FileRejected, match="damaged"):
        _read("cut.xlsx", data[: len(data) // 2])


def test_formula_looking_cells_are_escaped():
    assert [escape_cell(v) for v in ("=1+2", "+1", "-1", "@SUM(A1)", "\t=x", "Berg", "")] == [
        "'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\t=x", "Berg", ""]


class _Errors(list):
    def iterator(self, chunk_size):
        return iter(self)


def test_error_files_never_hold_a_formula():
    """The CSV here; the .xlsx in test_imports.py (its widths are measured in SQL)."""
    from types import SimpleNamespace

    errors = _Errors([SimpleNamespace(row=3, column="Email", reason="bad",
                                      value='=HYPERLINK("http://evil.example","x")')])
    text = as_csv(errors).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text


def test_a_zip_directory_that_understates_a_part_is_refused():
    """A bomb that lies in the zip directory (sizes far below what its parts unpack to)
    passes the size check, but is never unpacked past what it declared."""
    import struct

    data = bytearray(zip_bomb_xlsx(50))
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[start + size_at:start + size_at + 4] = struct.pack("<I", 4000)
            start += 4
    with pytest.raises(FileRejected, match="damaged"):
        _read("liar.xlsx", bytes(data))

"""Reading the files staff upload: .xlsx through openpyxl, .csv through the csv module.

Both readers stream rows and never evaluate anything: openpyxl runs in read-only mode
with `data_only=True` (a formula cell gives the value Excel saved with it; one saved
without a value is an error for its row, never computed here), and a CSV cell is text.
Everything that makes a file unreadable raises `FileRejected` with a message for staff;
nothing is written before a file has been read through once (see tasks.py).
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

CSV, XLSX = "csv", "xlsx"
FORMULA_WITHOUT_VALUE = object()  # an xlsx cell whose formula was saved without a value


class ErrorValue(str):
    """An xlsx cell holding an error value (#DIV/0!, #REF!, …)."""

_CHUNK = 1 << 20


def max_file_bytes() -> int:
    return getattr(settings, "IMPORTS_MAX_FILE_BYTES", 50 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "IMPORTS_MAX_ROWS", 500_000)


def max_unpacked_bytes() -> int:
    """What an .xlsx may hold unpacked: its XML is read whole by parts (shared strings)."""
    return getattr(settings, "IMPORTS_MAX_XLSX_UNPACKED_BYTES", 400 * 1024 * 1024)


MAX_RATIO = 100  # unpacked/packed size of one part past which a part is a zip bomb
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000


class FileRejected(Exception):
    """The file cannot be read: the message says why, in words for staff."""


@dataclass
class Row:
    number: int  # the row's number in the file (the header row is 1)
    cells: list  # values by column; str for CSV, str/int/float/date/bool/None for xlsx


def file_format(name: str, data: bytes) -> str:
    """The format by the file's name, checked against its first bytes."""
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            raise FileRejected(_("The file is not an Excel workbook (.xlsx), though its name "
                                 "says so. Save it again in Excel as .xlsx."))
        return XLSX
    if lower.endswith((".csv", ".txt")):
        return CSV
    if lower.endswith((".xls", ".xlsm", ".xlsb", ".ods")):
        raise FileRejected(_("Only .xlsx workbooks and .csv files can be imported. Save the "
                             "file in Excel as an .xlsx workbook or as CSV."))
    raise FileRejected(_("Only .xlsx workbooks and .csv files can be imported."))


def check_size(size: int) -> None:
    if size > max_file_bytes():
        raise FileRejected(_("The file is %(size)s MB; at most %(limit)s MB can be imported. "
                             "Split it into smaller files.") % {
            "size": round(size / 1_048_576, 1), "limit": max_file_bytes() // 1_048_576})
    if size == 0:
        raise FileRejected(_("The file is empty."))


class Table:
    """An open file: its header row and a stream of the rows below it."""

    def __init__(self, name: str, data: bytes):
        check_size(len(data))
        self.format = file_format(name, data)
        self._data = data
        if self.format == XLSX:
            self._reader = _XlsxReader(data)
        else:
            self._reader = _CsvReader(data)
        self.headers = self._reader.headers
        if not any(h for h in self.headers):
            raise FileRejected(_("The first row of the file must name the columns; it is "
                                 "empty."))
        if len(self.headers) > MAX_COLUMNS:
            raise FileRejected(_("The file has %(count)s columns; at most %(limit)s can be "
                                 "imported.") % {"count": len(self.headers),
                                                 "limit": MAX_COLUMNS})

    @property
    def estimated_rows(self) -> int | None:
        return self._reader.estimated_rows()

    def rows(self) -> Iterator[Row]:
        """The data rows (blank rows skipped); past the row limit, FileRejected."""
        limit = max_rows()
        count = 0
        try:
            for row in self._reader.rows():
                if all(_blank(cell) for cell in row.cells):
                    continue
                count += 1
                if count > limit:
                    raise FileRejected(_("The file has more than %(limit)s rows. Split it "
                                         "into smaller files.") % {"limit": limit})
                width = len(self.headers)
                row.cells = (row.cells + [None] * width)[:width]
                yield row
        except FileRejected:
            raise
        except Exception as error:  # zlib, XML, zip and csv errors of a damaged file
            raise FileRejected(_("The file is damaged and cannot be read (%(error)s).") % {
                "error": _short(error)}) from error

    def close(self) -> None:
        self._reader.close()


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _short(error: Exception) -> str:
    return (str(error) or type(error).__name__)[:200]


# --- CSV ------------------------------------------------------------------------------

def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without a BOM) when the whole file is valid UTF-8, else
    Windows-1252, the encoding Excel writes CSV in on Finnish and Swedish Windows."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(data[start:start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_delimiter(header_line: str) -> str:
    """Semicolon (Excel in Finland and Sweden), comma or tab: the one the header row uses
    most outside quotes."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


class _CsvReader:
    def __init__(self, data: bytes):
        if b"\x00" in data[:_CHUNK]:
            raise FileRejected(_("The file is not a text file. Save it as CSV or .xlsx."))
        self.encoding = detect_encoding(data)
        self._data = data
        try:
            if self.encoding == "cp1252":
                data.decode("cp1252")  # five bytes are no character: refused at upload
            first = self._text().readline()
        except UnicodeDecodeError as error:
            raise FileRejected(_("The file's characters are neither UTF-8 nor Windows-1252. "
                                 "Save it as CSV (UTF-8).")) from error
        # Excel's hint line "sep=;" names the separator; Excel does not show it as a row.
        self.hinted = first.rstrip("\r\n").lower().startswith("sep=") and len(
            first.rstrip("\r\n")) == 5
        self.delimiter = first[4] if self.hinted else detect_delimiter(first)
        try:
            self.headers = [h.strip() for h in next(self._reader(), [])]
        except (csv.Error, UnicodeDecodeError) as error:
            raise FileRejected(_("The file is damaged and cannot be read (%(error)s).") % {
                "error": _short(error)}) from error

    def _text(self):
        return io.TextIOWrapper(io.BytesIO(self._data), encoding=self.encoding,
                                errors="strict", newline="")

    def _reader(self):
        text = self._text()
        if self.hinted:
            text.readline()
        return csv.reader(text, delimiter=self.delimiter, strict=False)

    def estimated_rows(self) -> int:
        lines = self._data.count(b"\n") + (0 if self._data.endswith(b"\n") else 1)
        return max(lines - 1 - self.hinted, 0)

    def rows(self) -> Iterator[Row]:
        reader = self._reader()
        next(reader, None)
        # Numbered as Excel numbers the rows when it opens the file: by record (a quoted
        # cell may span several lines), blank lines counted, the header row is 1.
        for number, cells in enumerate(reader, start=2):
            yield Row(number=number, cells=[_clip(c) for c in cells])

    def close(self) -> None:
        pass


def _clip(value: str) -> str:
    return value[:MAX_CELL_CHARS]


# --- XLSX -----------------------------------------------------------------------------

def check_zip(data: bytes) -> None:
    """Refuse zip bombs before openpyxl opens anything: the sizes the zip directory
    declares (which zipfile then holds every part to) are summed and compared."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRejected(_("The file is damaged and cannot be read (%(error)s).") % {
            "error": _short(error)}) from error
    with archive:
        members = archive.infolist()
        if len(members) > 10_000:
            raise FileRejected(_("The workbook is too large or damaged to be read."))
        total = 0
        for member in members:
            total += member.file_size
            if member.file_size > 1_048_576 and (
                    member.file_size > MAX_RATIO * max(member.compress_size, 1)):
                raise FileRejected(_("The workbook unpacks to far more than it holds (a "
                                     "zip bomb?) and is not read."))
        if total > max_unpacked_bytes():
            raise FileRejected(_("The workbook unpacks to %(size)s MB; at most %(limit)s MB "
                                 "can be read. Split it into smaller files.") % {
                "size": total // 1_048_576, "limit": max_unpacked_bytes() // 1_048_576})


class _XlsxReader:
    def __init__(self, data: bytes):
        import openpyxl

        check_zip(data)
        try:
            self._book = openpyxl.load_workbook(io.BytesIO(data), read_only=True,
                                                data_only=True, keep_links=False)
            self._sheet = self._book.worksheets[0]
        except Exception as error:  # openpyxl raises many kinds on damaged files
            raise FileRejected(_("The file is damaged and cannot be read (%(error)s).") % {
                "error": _short(error)}) from error
        rows = self._iter()
        try:
            first = next(rows, None)
        except Exception as error:
            raise FileRejected(_("The file is damaged and cannot be read (%(error)s).") % {
                "error": _short(error)}) from error
        finally:
            rows.close()
        self.headers = [_header(v) for v in (first.cells if first else [])]
        while self.headers and not self.headers[-1]:
            self.headers.pop()

    def estimated_rows(self) -> int | None:
        max_row = getattr(self._sheet, "max_row", None)
        return max(max_row - 1, 0) if max_row else None

    def _iter(self) -> Iterator[Row]:
        """The first sheet's rows through openpyxl's own read-only parser, which also
        tells a formula saved without its value (`iter_rows` gives None, as for a blank)."""
        from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

        class Parser(WorkSheetParser):
            def parse_cell(self, element):
                cell = super().parse_cell(element)
                if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                    cell["value"] = FORMULA_WITHOUT_VALUE
                return cell

        sheet, book = self._sheet, self._book
        with sheet._get_source() as source:
            parser = Parser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                            date_formats=book._date_formats,
                            timedelta_formats=book._timedelta_formats)
            for number, cells in parser.parse():
                values: list = []
                for cell in cells:
                    column = cell["column"]
                    if column > MAX_COLUMNS + 1:
                        break
                    values.extend([None] * (column - 1 - len(values)))
                    value = cell["value"]
                    if cell["data_type"] == "e":  # #DIV/0!, #REF!, …
                        value = ErrorValue(value or "#N/A")
                    elif isinstance(value, str):
                        value = _clip(value)
                    values.append(value)
                yield Row(number=number, cells=values)

    def rows(self) -> Iterator[Row]:
        rows = self._iter()
        next(rows, None)
        yield from rows

    def close(self) -> None:
        self._book.close()


def _header(value) -> str:
    if value is None or value is FORMULA_WITHOUT_VALUE or isinstance(value, ErrorValue):
        return ""
    return str(value).strip()[:200]

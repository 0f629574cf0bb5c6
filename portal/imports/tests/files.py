"""Files for the imports' tests, made the way Excel and registers make them."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl


def csv_bytes(rows: list[list[str]], *, encoding="utf-8", delimiter=";", bom=False) -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


class Text(str):
    """A cell of text even when it starts with '=' (openpyxl would save a formula)."""


def xlsx_bytes(rows: list[list], *, cached: dict[str, str] | None = None) -> bytes:
    """A workbook of `rows` on its first sheet. openpyxl saves formulas without a value
    (as a file saved by a program that does not calculate); `cached` gives the formula
    cells at those coordinates ("C2") the value Excel would have saved with them."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if isinstance(value, Text):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if not cached:
        return data
    return _rewrite(data, "xl/worksheets/sheet1.xml", lambda xml: _with_values(xml, cached))


def _with_values(xml: str, cached: dict[str, str]) -> str:
    for ref, value in cached.items():
        xml, count = re.subn(
            rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?</c>',
            rf'<c r="{ref}"\1 t="str"><f>\2</f><v>{value}</v></c>', xml)
        assert count == 1, (ref, xml)
    return xml


def _rewrite(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = change(content.decode()).encode()
            target.writestr(item, content)
    return out.getvalue()


def zip_bomb_xlsx(unpacked_mb: int = 200) -> bytes:
    """A real workbook whose sheet unpacks to `unpacked_mb` MB of blanks (a few hundred
    kB packed): what a zip bomb disguised as .xlsx looks like to a reader."""
    data = xlsx_bytes([["member_number"], ["1"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                with target.open(item.filename, "w", force_zip64=True) as part:
                    part.write(content.replace(b"</worksheet>", b""))
                    chunk = b" " * (1 << 20)
                    for _ in range(unpacked_mb):
                        part.write(chunk)
                    part.write(b"</worksheet>")
                continue
            target.writestr(item, content)
    return out.getvalue()

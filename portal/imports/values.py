"""From a file's cell to a record's value (register.records checks and stores it).

The register's records take strings as CSV gives them (Finnish and ISO dates included),
so most cells pass as they are. What is fixed here is what spreadsheets do to values:
Excel's numbers (a member number 1234 read as 1234.0, a postal code 00100 as 100),
decimal commas and spaces in numbers, and cells that hold no usable value at all.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from portal.register import records

from .reading import FORMULA_WITHOUT_VALUE, ErrorValue


class CellError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


_NUMBER = re.compile(r"^[+-]?\d[\d\s\u00a0\u202f]*(?:[.,]\d+)?$")


def cell_value(spec: records.Field, value):
    """The value to put in the record for this cell (None when empty), or CellError."""
    if value is FORMULA_WITHOUT_VALUE:
        raise CellError(_("The cell has a formula saved without its value. Open the file in "
                          "Excel, save it and import it again."))
    if isinstance(value, ErrorValue):
        raise CellError(_("The cell holds the error value %(value)s.") % {"value": value})
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if spec.type == records.DATE:
        return value  # a date cell (datetime) or text: the records read both
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if spec.type == records.INT:
        return _whole_number(value)
    if isinstance(value, int):
        text = str(value)
        # Excel drops a postal code's leading zeros when the column is a number.
        if spec.name == "postal_code" and len(text) < 5:
            text = text.zfill(5)
        return text
    if isinstance(value, float):
        return _plain(value)
    return value


def _whole_number(value):
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise CellError(_("Give a whole number."))
    text = str(value).strip()
    if not text:
        return None
    if _NUMBER.match(text):
        compact = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
        whole, _dot, fraction = compact.partition(".")
        if fraction.strip("0"):
            raise CellError(_("Give a whole number."))
        return whole
    return text


def _plain(number: float) -> str:
    return format(number, "f").rstrip("0").rstrip(".")

"""Ids typed into query strings and posted forms (a saved filter, ticked rows, a chosen
row's button). Only ASCII digits that fit a BIGINT are ids: `str.isdigit()` also accepts
"²" or "١", which `int()` then refuses or turns into another number, and an answer of 500."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest id any table holds (BigAutoField, signed 64-bit)


def posted_id(value) -> int | None:
    """`value` as a row id, or None when it is not one."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def posted_ids(values) -> list[int]:
    """The ids among `values`, in order; the rest are left out."""
    return [pk for pk in map(posted_id, values) if pk is not None]

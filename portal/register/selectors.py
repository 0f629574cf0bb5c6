"""Reads for the register integration: what changed in the portal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from portal.union.models import Union


def changes_since(
    *, union: Union, cursor: str | None, kinds: Iterable[str] | None = None, limit: int = 1000
) -> tuple[list[dict[str, Any]], str]:
    """What changed in the portal since `cursor`, for the register to read (two-way sync).

    Returns (changes, next_cursor). Each change is a dict
    `{"kind", "key": {external key fields}, "action": "created"|"updated"|"ended",
    "fields": {name: value, …} (current values of the changed register fields),
    "changed_at": ISO 8601}` — members' profile edits (people), employments added,
    changed or ended in the portal (employments), positions of trust appointed or ended
    in the portal (positions). Writes made by the register itself are not listed.
    `cursor` is the opaque string a previous call returned (None or "" from the start);
    ordering is stable, so paging with the returned cursor never skips nor repeats.
    Nothing of another union is ever returned. At most `limit` (≤ 1000) changes.
    """
    from .feed import read_changes

    return read_changes(union=union, cursor=cursor, kinds=kinds, limit=limit)

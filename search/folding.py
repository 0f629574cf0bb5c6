"""Accent folding for the database fallback: `portal_fold(text)` is the same function on
PostgreSQL (UPPER(unaccent(…)), migration portal_search 0003) and, registered on each
connection, on SQLite (this module), so "hanninen" finds Hänninen and "ake" Åke."""

from __future__ import annotations

import unicodedata

# Letters that do not decompose into a base letter and a mark, as unaccent maps them.
_SPECIAL = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "đ": "d",
                          "Đ": "D", "ł": "l", "Ł": "L", "œ": "oe", "Œ": "OE", "ð": "d",
                          "Ð": "D", "þ": "th", "Þ": "TH"})


def fold(text: str | None) -> str | None:
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def register_on_sqlite(sender, connection, **kwargs) -> None:
    """connection_created: SQLite has no unaccent; give it the same function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("portal_fold", 1, fold, deterministic=True)

"""Trigram similarity of two names: PostgreSQL's `similarity()` (pg_trgm, created by
search's migration 0002) and, registered on each SQLite connection (the demo), the same
measure in Python, so the duplicate check's SQL is one text for both databases."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: words of letters and digits, lower-cased, each padded with two
    spaces in front and one behind."""
    grams: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str | None, b: str | None) -> float | None:
    if a is None or b is None:
        return None
    left, right = trigrams(a), trigrams(b)
    if not left or not right:
        return 0.0
    shared = len(left & right)
    return shared / (len(left) + len(right) - shared)


def register_on_sqlite(sender, connection, **kwargs) -> None:
    """connection_created: SQLite has no pg_trgm; give it the same function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("similarity", 2, similarity, deterministic=True)
        # SQLite's lower() and upper() change ASCII letters only ("Åke" would be all
        # lower case); PostgreSQL's follow Unicode. checks.CaseLower/CaseUpper use these.
        connection.connection.create_function(
            "dq_lower", 1, lambda text: None if text is None else str(text).lower(),
            deterministic=True)
        connection.connection.create_function(
            "dq_upper", 1, lambda text: None if text is None else str(text).upper(),
            deterministic=True)

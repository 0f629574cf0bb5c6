"""Duplicate candidates: pairs of people of one union with similar names and the same
postal code, email or birth date (people with the same identity code are a check of
their own; `pair_keys(same_identity=True)` adds their pairs, for merging).

Comparing every person with every other is 45 billion pairs at 300,000 members, so the
query compares only within blocks: the same postal code or birth date and the same
(folded) first or last name, or the same email. Within a block a pair is a candidate
when the trigram similarity of the folded full names is at least `THRESHOLD`
(pg_trgm's `similarity`, the same measure in Python on SQLite): "Mati Virtanen" and
"Matti Virtanen" (0.81), not "Matti Laine". A misspelling in both names at once is not found.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

from portal.people.models import Person

from .tuning import tuned

THRESHOLD = 0.6

# Each block join carries both names along, so the similarity is computed on the pairs
# the join found (joining the pairs back to the people made PostgreSQL plan a cross
# product); UNION ALL and GROUP BY merge a pair found by two blocks.
_PAIRS = """
WITH folded AS (
    SELECT id, portal_fold(first_name) AS f, portal_fold(last_name) AS l,
           postal_code AS pc, LOWER(email) AS em, NULLIF(identity_code_hash, '') AS h,
           birth_date AS bd
    FROM {table} WHERE union_id = %(union)s
), p AS (
    SELECT id, f, l, f || ' ' || l AS n, pc, em, h, bd FROM folded
), blocks AS (
    SELECT a.id AS a, b.id AS b, 'similar_postal_code' AS reason, a.n AS an, b.n AS bn,
           a.h AS ah, b.h AS bh
    FROM p a JOIN p b ON a.pc = b.pc AND a.l = b.l AND a.id < b.id WHERE a.pc <> ''
    UNION ALL
    SELECT a.id, b.id, 'similar_postal_code', a.n, b.n, a.h, b.h
    FROM p a JOIN p b ON a.pc = b.pc AND a.f = b.f AND a.id < b.id WHERE a.pc <> ''
    UNION ALL
    SELECT a.id, b.id, 'similar_email', a.n, b.n, a.h, b.h
    FROM p a JOIN p b ON a.em = b.em AND a.id < b.id WHERE a.em <> ''
    UNION ALL
    SELECT a.id, b.id, 'similar_birth_date', a.n, b.n, a.h, b.h
    FROM p a JOIN p b ON a.bd = b.bd AND a.l = b.l AND a.id < b.id
    UNION ALL
    SELECT a.id, b.id, 'similar_birth_date', a.n, b.n, a.h, b.h
    FROM p a JOIN p b ON a.bd = b.bd AND a.f = b.f AND a.id < b.id
), pairs AS (
    SELECT a, b, MAX(reason) AS reason, MAX(similarity(an, bn)) AS score, MIN(an) AS name
    FROM blocks
    WHERE similarity(an, bn) >= %(threshold)s AND (ah IS NULL OR ah <> bh)
      AND (%(q)s = '' OR an LIKE %(like)s OR bn LIKE %(like)s)
    GROUP BY a, b
)
"""
# People sharing an identity-code hash, as pairs (score 1): merging lists them too.
_SAME_IDENTITY = """, same AS (
    SELECT a.id AS a, b.id AS b, 'same_identity' AS reason, 1.0 AS score, a.n AS name
    FROM p a JOIN p b ON a.h = b.h AND a.id < b.id
    WHERE (%(q)s = '' OR a.n LIKE %(like)s OR b.n LIKE %(like)s)
), every AS (SELECT a, b, reason, score, name FROM pairs
             UNION ALL SELECT a, b, reason, score, name FROM same)
"""


@dataclass
class Pair:
    first: Person
    second: Person
    score: float
    reason: str


def _params(union, query: str) -> dict:
    from search.folding import fold

    folded = fold(query.strip()) or ""
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return {"union": union.pk, "threshold": THRESHOLD, "q": folded, "like": f"%{escaped}%"}


def _sql(tail: str, *, same_identity: bool = False) -> str:
    sql = _PAIRS.format(table=Person._meta.db_table)
    if same_identity:
        sql += _SAME_IDENTITY
        tail = tail.replace("FROM pairs", "FROM every")
    sql += tail
    if connection.vendor == "sqlite":
        # SQLite's LIKE has no default escape character.
        sql = sql.replace("LIKE %(like)s", "LIKE %(like)s ESCAPE '\\'")
    return sql


@contextmanager
def _cursor():
    with tuned(hash_joins=True), connection.cursor() as cursor:
        yield cursor


def count_pairs(union, query: str = "") -> int:
    with _cursor() as cursor:
        cursor.execute(_sql("SELECT COUNT(*) FROM pairs"), _params(union, query))
        return cursor.fetchone()[0]


def pair_keys(union, query: str = "", *,
              same_identity: bool = False) -> list[tuple[int, int, float, str]]:
    """Every pair as (id, id, similarity, reason), ordered by name: one run of the query
    for a drill-down page, its count and its slice (a few thousand pairs at 300,000
    members). `same_identity` adds the pairs sharing an identity code (score 1)."""
    with _cursor() as cursor:
        cursor.execute(_sql("SELECT a, b, score, reason FROM pairs ORDER BY name, a, b",
                            same_identity=same_identity),
                       _params(union, query))
        return [(a, b, float(score), reason) for a, b, score, reason in cursor.fetchall()]


def pairs_of(union, keys) -> list[Pair]:
    """The pairs of `keys` with their people, read through `for_union`."""
    ids = {pk for a, b, _s, _r in keys for pk in (a, b)}
    people = Person.objects.for_union(union).select_related("branch").in_bulk(ids)
    return [Pair(people[a], people[b], score, reason)
            for a, b, score, reason in keys if a in people and b in people]


def page_of_pairs(union, *, query: str = "", offset: int = 0, limit: int = 50) -> list[Pair]:
    return pairs_of(union, pair_keys(union, query)[offset:offset + limit])

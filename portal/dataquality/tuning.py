"""PostgreSQL settings for the checks' queries, for one transaction."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def tuned(*, hash_joins: bool = False):
    """A transaction whose group-bys over 300,000 names and identity codes hash in
    memory (64 MB work_mem instead of sorting on disk) and that does not JIT-compile
    (it costs more than it saves for one run). `hash_joins`: the duplicate blocks,
    where PostgreSQL expects huge blocks (it cannot know names repeat little within a
    postal code) and picks merge joins that sort 300,000 names by the locale's
    collation several times (10 s more at 300,000 members)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(f"SET LOCAL enable_mergejoin = {'off' if hash_joins else 'on'}")
        yield
        if hash_joins and connection.vendor == "postgresql":
            # SET LOCAL outlives a savepoint: the enclosing refresh's other checks plan
            # as usual.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_mergejoin = on")

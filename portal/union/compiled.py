"""Queries run on every page view, from SQL that Django compiled once per query shape.

Building the SQL of a query on a wide model (a page with its specific fields, the user
with the block check) costs more CPU than PostgreSQL spends answering it: about 0.5–0.8
ms each, on every request (docs/benchmarks.md). Where a query's shape depends only on a
few counts, its text is kept per shape and run again with new parameters. Each cached
text is checked once against Django's own parameters for it (same values, same order),
else that shape always goes through the ORM; the rows are model instances as the ORM's.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.db.models import QuerySet

# Shape → compiled SQL text, or None: that shape goes through the ORM.
COMPILED: dict[Hashable, str | None] = {}


def run_compiled(model, build: Callable[[], QuerySet], shape: Hashable, params: list) -> list:
    """The rows of the queryset `build()` makes, from SQL compiled once for `shape` when
    `params` are exactly the parameters Django gives it (in that order); otherwise
    through the ORM."""
    sql = COMPILED.get(shape)
    if sql is None:
        queryset = build()
        if shape not in COMPILED:
            compiled, compiled_params = queryset.query.sql_with_params()
            COMPILED[shape] = compiled if list(compiled_params) == params else None
            sql = COMPILED[shape]
        if sql is None:
            return list(queryset)
    return list(model._base_manager.raw(sql, params))



"""Queries run on every page view, from SQL that Django compiled once per query shape.

Building the SQL of a query on a wide model (a page with its specific fields, the user
with the block check) costs more CPU than PostgreSQL spends answering it: about 0.5–0.8
ms each, on every request (docs/benchmarks.md). Where a query's shape depends only on a
few counts, its text is kept per shape and run again with new parameters. Each cached
text is checked once against Django's own parameters for it (same values, same order),
else that shape always goes through the ORM; the rows are model instances as the ORM's.

`run_compiled` (routing, the session's user) builds its rows with `raw()`;
`run_compiled_query` (a member's own profile and timeline: their person with its branch,
employments, positions, trainings and events) keeps Django's compiler of the first call
and builds the rows as Django's own iterables do, so `select_related` and `values_list`
work too. The parameters stay parameters: a shape's SQL is the same for every person and
union, and each call passes its own ids.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

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




# Shape → (SQL text, the compiler that made it, its kind), or None: through the ORM.
_QUERIES: dict[Hashable, tuple | None] = {}
_ROW_KINDS = {ModelIterable: "objects", ValuesListIterable: "tuples",
              FlatValuesListIterable: "flat"}


def _compile(queryset: QuerySet, params: list) -> tuple | None:
    """The SQL, compiler and row kind of `queryset`, or None when its rows could not be
    rebuilt from them exactly as the ORM does (prefetches, known related objects, other
    iterables) or its parameters are not `params`."""
    kind = _ROW_KINDS.get(queryset._iterable_class)
    if kind is None or queryset._prefetch_related_lookups or queryset._known_related_objects:
        return None
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, compiled_params = compiler.as_sql()
    except EmptyResultSet:
        return None
    return (sql, compiler, kind) if list(compiled_params) == params else None


def run_compiled_query(build: Callable[[], QuerySet], shape: Hashable, params: list) -> list:
    """`list(build())` — model instances (select_related and annotations included), or
    `values_list` rows — from SQL compiled once for `shape`. The first call of a shape
    runs the ORM and keeps the SQL if `params` are exactly Django's parameters for it;
    while two parameters are equal that check could not tell them apart, so the shape
    waits for a call where they differ. The rows are built by the compiler kept from that
    first call, as Django's own iterables build them (converters included)."""
    entry = _QUERIES.get(shape)
    if entry is None:
        queryset = build()
        if shape not in _QUERIES and len(set(params)) == len(params):
            _QUERIES[shape] = _compile(queryset, params)
        return list(queryset)
    sql, compiler, kind = entry
    # This thread's connection (the compiler's may be another thread's: a test's server).
    with connections[compiler.using].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if compiler.has_extra_select:
        rows = [row[:compiler.col_count] for row in rows]
    rows = compiler.results_iter([rows], tuple_expected=kind == "tuples")
    if kind == "tuples":
        return list(rows)
    if kind == "flat":
        return [row[0] for row in rows]
    return _objects(compiler, rows)


def _objects(compiler, rows) -> list:
    """Model instances from rows, as django.db.models.query.ModelIterable makes them."""
    select, klass_info = compiler.select, compiler.klass_info
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, compiler.using)
    annotations = compiler.annotation_col_map
    objects = []
    for row in rows:
        obj = model.from_db(compiler.using, names, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in (annotations or {}).items():
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects

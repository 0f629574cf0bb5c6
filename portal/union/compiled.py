"""Queries run on every page view, from SQL that Django compiled once per query shape.

Building the SQL of a query on a wide model (a page with its specific fields, the user
with the block check) costs more CPU than PostgreSQL spends answering it: about 0.5–0.8
ms each, on every request (docs/benchmarks.md). Where a query's shape depends only on a
few counts, its text is kept per shape and run again with new parameters. Each cached
text is checked once against Django's own parameters for it (same values, same order),
else that shape always goes through the ORM.

The compiler of that first call is kept with the text, and the rows are built from it
as Django's own iterables build them (model instances with `select_related` and
annotations, or `values_list` rows, converters included), so they equal the ORM's. That
is also half the Python work of `raw()`, which routing and the session's user used
first: `raw()` reads the columns and maps them to fields again on every call (about
1,470 Python calls for one page row, 700 this way).

Users: routing and the session's user (`run_compiled`), a member's own profile and
timeline (`run_compiled_query`: their person with its branch, employments, positions,
trainings and events). The parameters stay parameters: a shape's SQL is the same for
every person and union, and each call passes its own ids. On PostgreSQL each shape also
runs as a prepared statement (`prepared_cursor`), so the server parses and plans it once per
connection instead of on every request.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

# Shape → (SQL text, the compiler that made it, its kind of rows), or None: that shape
# goes through the ORM.
COMPILED: dict[Hashable, tuple | None] = {}
_ROW_KINDS = {ModelIterable: "objects", ValuesListIterable: "tuples",
              FlatValuesListIterable: "flat"}


def run_compiled(model, build: Callable[[], QuerySet], shape: Hashable, params: list) -> list:
    """The rows of the queryset `build()` makes (instances of `model`), from SQL compiled
    once for `shape` when `params` are exactly the parameters Django gives it (in that
    order); otherwise through the ORM. The caller vouches for the order of equal
    parameters (the session's user passes the same time twice)."""
    return _run(build, shape, params, distinct=False)


def run_compiled_query(build: Callable[[], QuerySet], shape: Hashable, params: list) -> list:
    """`list(build())`, from SQL compiled once for `shape`. While two parameters are equal,
    the check against Django's parameters could not tell them apart, so the shape waits
    for a call where they differ before it is compiled."""
    return _run(build, shape, params, distinct=True)


def _run(build, shape, params, *, distinct: bool) -> list:
    entry = COMPILED.get(shape)
    if entry is None:
        queryset = build()
        if shape not in COMPILED and (not distinct or len(set(params)) == len(params)):
            COMPILED[shape] = _compile(queryset, params)
        return list(queryset)
    sql, compiler, kind = entry
    # This thread's connection (the compiler's may be another thread's: a test's server).
    rows = execute_prepared(connections[compiler.using], sql, params, fetch=True)
    if compiler.has_extra_select:
        rows = [row[:compiler.col_count] for row in rows]
    rows = compiler.results_iter([rows], tuple_expected=kind == "tuples")
    if kind == "tuples":
        return list(rows)
    if kind == "flat":
        return [row[0] for row in rows]
    return _objects(compiler, rows)


@functools.cache
def _preparing_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


def prepared_cursor(connection):
    """A cursor for statements run on every request (the compiled shapes, the audit
    entry). On PostgreSQL it binds the parameters on the server (Django's own cursors
    interpolate them into the text), so that psycopg prepares each statement on its first
    run on the connection and PostgreSQL stops parsing and planning it on every request
    (the SQL must type its parameters where PostgreSQL cannot infer them): for these
    small queries planning cost several times the
    execution (0.3–0.4 ms against 0.05 ms for the own profile's reads at 300,000
    people). Wrapped like Django's cursors: execute wrappers see it."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        # Logging queries (DEBUG, CaptureQueriesContext) wants their text with values,
        # which psycopg keeps only for statements it did not prepare.
        return connection.cursor()
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    # As Django's own cursor(): a persistent connection that failed its health check
    # (CONN_HEALTH_CHECKS) is replaced first; this is often the request's first query.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns psycopg's statement cache off (for connection poolers in
        # transaction mode, which the portal does not use). Turned on again with a
        # threshold never reached: only these shapes, which ask, are prepared (Django's
        # own cursors bind on the client and are never prepared). psycopg drops the
        # statements on a rollback or a schema change on the connection.
        connection.connection.prepare_threshold = sys.maxsize
    with connection.wrap_database_errors:
        cursor = _preparing_cursor_class()(connection.connection)
        # As Django's create_cursor: the connection's time zone for timestamptz values.
        loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if connection.timezone != loader.timezone:
            register_tzloader(connection.timezone, cursor)
    return connection._prepare_cursor(cursor)


def execute_prepared(connection, sql: str, params: list, *, fetch: bool) -> list | None:
    """Run `sql` through `prepared_cursor`; its rows when `fetch`.

    A prepared statement whose columns changed type since it was prepared (a migration
    run while the workers kept their connections) fails with "cached plan must not
    change result type", and psycopg keeps the stale statement, so every later request
    on that connection would fail too. Outside a transaction the connection is closed
    and the statement run once more on a new one. Inside a transaction the error stands
    (the transaction is already aborted); its rollback drops psycopg's statements, so
    only that one request fails."""
    for attempt in (1, 2):
        try:
            with prepared_cursor(connection) as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if fetch else None
        except NotSupportedError as error:
            if attempt == 2 or connection.in_atomic_block or not _stale_plan(error):
                raise
            connection.close()
    return None  # not reached: the second attempt returns or raises


def _stale_plan(error: Exception) -> bool:
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "0A000" and "cached plan" in str(cause)


def _compile(queryset: QuerySet, params: list) -> tuple | None:
    """The SQL, compiler and kind of rows of `queryset`, or None when its rows could not
    be rebuilt from them exactly as the ORM does (prefetches, known related objects,
    other iterables) or its parameters are not `params`."""
    kind = _ROW_KINDS.get(queryset._iterable_class)
    if kind is None or queryset._prefetch_related_lookups or queryset._known_related_objects:
        return None
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, compiled_params = compiler.as_sql()
    except EmptyResultSet:
        return None
    return (sql, compiler, kind) if list(compiled_params) == params else None


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

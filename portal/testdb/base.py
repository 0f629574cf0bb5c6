# ruff: noqa: S608 - table and column names from Django's introspection, no input
"""PostgreSQL for the test suite (`portal.settings.test`): Django's own backend with a
cheaper reset around transactional tests.

A transactional test (the browser tests, with `serialized_rollback`) starts by reloading
the rows the migrations made (Wagtail's root page and locale, content types,
permissions, ...) and ends by emptying every table. Django keeps those rows as JSON and
saves them back object by object (two statements each), then TRUNCATEs all tables,
which makes new files for every table and index: together about a second per test on a
quiet machine, several on a busy one. Here the rows are kept as copies in a schema of the
test database itself (`test_snapshot`) and reloaded with one INSERT … SELECT per table,
and the flush truncates only the tables that hold rows. What a test sees is the same.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.db.backends.postgresql import base, creation, operations

SNAPSHOT = "test_snapshot"


def copy_tables(connection, schema: str) -> dict[str, list[str]]:
    """Copies every Django table that has rows into `schema` (made anew); returns the
    copied tables with their columns, what `restore_tables` needs."""
    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True,
                                                         include_views=False)
    kept: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote(schema)} CASCADE")
        cursor.execute(f"CREATE SCHEMA {quote(schema)}")
        for table in sorted(tables):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
            if not cursor.fetchone()[0]:
                continue
            # Generated columns can't be inserted into: copy the others by name.
            cursor.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s"
                " AND is_generated = 'NEVER' ORDER BY ordinal_position", [table])
            kept[table] = [row[0] for row in cursor.fetchall()]
            cursor.execute(f"CREATE TABLE {quote(schema)}.{quote(table)} AS TABLE {quote(table)}")
    return kept


def restore_tables(connection, schema: str, kept: dict[str, list[str]]) -> None:
    """Puts the copied rows back, one statement per table; rows still there are left as
    they are (as Django's save() of a serialized object would)."""
    quote = connection.ops.quote_name
    # Foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at the commit.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for table, columns in kept.items():
            names = ", ".join(quote(column) for column in columns)
            cursor.execute(
                f"INSERT INTO {quote(table)} ({names}) "
                f"SELECT {names} FROM {quote(schema)}.{quote(table)} ON CONFLICT DO NOTHING")


class DatabaseCreation(creation.DatabaseCreation):
    def serialize_db_to_string(self) -> str:
        """Copies the rows the migrations made into the snapshot schema; the string
        Django keeps for the reload names the copied tables and their columns."""
        return json.dumps(copy_tables(self.connection, SNAPSHOT))

    def deserialize_db_from_string(self, data: str) -> None:
        """Puts the migrations' rows back before a transactional test (the first one of a
        worker still has them)."""
        restore_tables(self.connection, SNAPSHOT, json.loads(data))


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        """Empties only the tables that hold rows. As a superuser (the suite's throwaway
        server), with triggers and foreign-key checks off for the transaction, by DELETE:
        TRUNCATE would make new files for them and, through CASCADE, for most other
        tables too. Otherwise one TRUNCATE of the full tables. Sequences to reset:
        Django's own statement."""
        if not tables or reset_sequences:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences,
                                     allow_cascade=allow_cascade)
        # Django's own table names, as string literals; plpgsql quotes them as identifiers.
        names = ", ".join("'" + table.replace("'", "''") + "'" for table in tables)
        return [f"""DO $$
DECLARE name text; full_ text[] := '{{}}'; has boolean;
BEGIN
  FOREACH name IN ARRAY ARRAY[{names}]::text[] LOOP
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', name) INTO has;
    IF has THEN full_ := full_ || name; END IF;
  END LOOP;
  IF cardinality(full_) = 0 THEN RETURN; END IF;
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    SET LOCAL session_replication_role = replica;
    FOREACH name IN ARRAY full_ LOOP EXECUTE format('DELETE FROM %I', name); END LOOP;
    SET LOCAL session_replication_role = origin;
  ELSE
    EXECUTE 'TRUNCATE ' || (SELECT string_agg(format('%I', n), ', ') FROM unnest(full_) n)
      || ' CASCADE';
  END IF;
END $$;"""]


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    ops_class = DatabaseOperations

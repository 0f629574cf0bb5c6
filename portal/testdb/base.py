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

The parallel workers' databases: the first one migrated is kept as a template, the
others are copied from it (`DatabaseCreation.create_test_db`).
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import transaction
from django.db.backends.postgresql import base, creation, operations

SNAPSHOT = "test_snapshot"
# The advisory lock the workers take while one makes the template database.
TEMPLATE_LOCK = 7_262_019


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


def _schema_key() -> str:
    """What the migrated schema depends on: every migration file of the project and the
    installed distributions' versions (Wagtail's and Django's migrations come with them)."""
    from importlib import metadata
    from pathlib import Path

    from django.apps import apps

    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        folder = Path(config.path).resolve() / "migrations"
        if folder.is_relative_to(root):  # third-party apps: their versions below
            for path in sorted(folder.glob("*.py")):
                digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        digest.update(dist.encode())
    return digest.hexdigest()[:12]


class DatabaseCreation(creation.DatabaseCreation):
    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        """The suite's parallel workers each need a migrated database; migrating takes
        ~20 s of CPU, and two workers migrating at once on two cores take that each.
        So the first worker migrates and copies the result into a template database
        (named by the migrations and packages it was made from); the others, and later
        runs on the same server, are created from it with CREATE DATABASE … TEMPLATE,
        about a second. An advisory lock on the server makes the others wait for it."""
        if keepdb:
            return super().create_test_db(verbosity, autoclobber, serialize, keepdb)
        from django.core.management import call_command

        quote = self.connection.ops.quote_name
        name = self._get_test_db_name()
        template = f"{name.rsplit('_gw', 1)[0]}_template_{_schema_key()}"[:63]
        with self._nodb_cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [TEMPLATE_LOCK])
            try:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
                if cursor.fetchone() is None:
                    # Templates of older migrations are of no more use.
                    prefix = template.rsplit("_", 1)[0] + "_"
                    cursor.execute("SELECT datname FROM pg_database")
                    for (stale,) in cursor.fetchall():
                        if stale.startswith(prefix):
                            cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)}")
                    created = super().create_test_db(verbosity, autoclobber, serialize, keepdb)
                    self.connection.close()
                    cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(created)}")
                    self.connection.ensure_connection()
                    return created
                if verbosity >= 1:
                    self.log(f"Creating test database {name} from {template}...")
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
                cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [TEMPLATE_LOCK])
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        call_command("createcachetable", database=self.connection.alias)
        self.connection.ensure_connection()
        return name

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

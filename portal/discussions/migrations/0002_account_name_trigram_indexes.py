"""Trigram indexes on the accounts' names, for the New conversation page's search
(PostgreSQL only; docs/discussions.md).

The page finds the accounts whose name holds a word (`picker._named`): Django writes it
`UPPER(col::text) LIKE UPPER('%word%')`, the people's names are read from their folded
names' trigram indexes (search migration 0003), and without these the accounts' own
names were checked on every account of the union (30 ms of a 125 ms search at 100,000
accounts, docs/benchmarks.md). A GIN index on the same `UPPER(col::text)` expression
answers these LIKEs (as search migration 0002 did for the people's).

Built CONCURRENTLY (hence `atomic = False`) so that deploying it does not block sign-ins.
SQLite (the demo) gets nothing: it scans, which is fine at demo size.
"""

from django.db import migrations

INDEXES = {
    # index name: (table, column)
    "portal_user_first_name_upper_trgm": ("accounts_user", "first_name"),
    "portal_user_last_name_upper_trgm": ("accounts_user", "last_name"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("discussions", "0001_initial"),
        ("accounts", "0006_roles_changed_at"),
        ("portal_search", "0003_accent_folding"),
    ]
    operations = [migrations.RunPython(create, drop, elidable=False)]

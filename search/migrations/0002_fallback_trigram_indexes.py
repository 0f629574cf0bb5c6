"""Indexes for the database fallback of the main search (PostgreSQL only).

Without Elasticsearch, `search.engine` matches words as case-insensitive substrings,
which Django writes as `UPPER(col::text) LIKE UPPER('%word%')`. Without an index that
scans every person and page of the instance (seconds at 600,000 people). A pg_trgm GIN
index on the same `UPPER(col::text)` expression answers these LIKEs, and a word shorter
than three letters is matched as a prefix (`LIKE 'VI%'`), which the trigram index
answers too. Email and member number are compared exactly (`iexact`), so they get
plain expression indexes.

Built CONCURRENTLY (hence `atomic = False`) so that deploying this on a live database
does not block writes. SQLite (the demo) gets nothing: it scans, which is fine at demo
size.
"""

from django.db import migrations

TRIGRAM = {
    # index name: (table, column)
    "portal_person_first_name_trgm": ("people_person", "first_name"),
    "portal_person_last_name_trgm": ("people_person", "last_name"),
    "portal_person_alternative_name_trgm": ("people_person", "alternative_name"),
    "portal_page_title_trgm": ("wagtailcore_page", "title"),
    "portal_branch_municipality_trgm": ("branches_branchpage", "municipality"),
    "portal_bulletin_summary_trgm": ("branches_bulletinpage", "summary"),
    "portal_employer_city_trgm": ("workplaces_employerpage", "city"),
    "portal_workplace_city_trgm": ("workplaces_workplacepage", "city"),
}
BTREE = {
    "portal_person_email_upper": ("people_person", "UPPER(email::text)"),
    "portal_person_member_number_upper": ("people_person", "union_id, UPPER(member_number::text)"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in TRIGRAM.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
    for name, (table, expression) in BTREE.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({expression})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in (*TRIGRAM, *BTREE):
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("portal_search", "0001_initial"),
        ("people", "0002_initial"),
        ("pages", "0003_page_depth_path_index"),
        ("branches", "0002_initial"),
        ("workplaces", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]

"""Accent-insensitive matching for the database fallback (PostgreSQL; docs/search.md).

`portal_fold(text)` is `UPPER(unaccent(text))` declared IMMUTABLE (unaccent itself is
only STABLE, so it cannot be indexed directly); the engine matches
`portal_fold(col::text) LIKE portal_fold(%s)`, so "hanninen" finds Hänninen and "ake"
Åke, and the pg_trgm GIN indexes are rebuilt on that expression. The `unaccent`
extension is trusted since PostgreSQL 13, so the database owner may create it.

The UPPER title index of 0002 stays: `portal.workplaces.views` still filters employer
titles with `icontains`. SQLite (the demo) gets a Python `portal_fold` on each
connection instead (search.apps) and scans.
"""

from django.db import migrations

FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT upper(public.unaccent('public.unaccent'::regdictionary, $1)) $$
"""

FOLDED = {
    # index name: (table, column)
    "portal_person_first_name_fold": ("people_person", "first_name"),
    "portal_person_last_name_fold": ("people_person", "last_name"),
    "portal_person_alternative_name_fold": ("people_person", "alternative_name"),
    "portal_page_title_fold": ("wagtailcore_page", "title"),
    "portal_branch_municipality_fold": ("branches_branchpage", "municipality"),
    "portal_bulletin_summary_fold": ("branches_bulletinpage", "summary"),
    "portal_employer_city_fold": ("workplaces_employerpage", "city"),
    "portal_workplace_city_fold": ("workplaces_workplacepage", "city"),
}
# The UPPER(col::text) indexes no query uses any more (0002).
REPLACED = {
    "portal_person_first_name_trgm": ("people_person", "first_name"),
    "portal_person_last_name_trgm": ("people_person", "last_name"),
    "portal_person_alternative_name_trgm": ("people_person", "alternative_name"),
    "portal_branch_municipality_trgm": ("branches_branchpage", "municipality"),
    "portal_bulletin_summary_trgm": ("branches_bulletinpage", "summary"),
    "portal_employer_city_trgm": ("workplaces_employerpage", "city"),
    "portal_workplace_city_trgm": ("workplaces_workplacepage", "city"),
}


def fold(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public")
    schema_editor.execute(FOLD_FUNCTION)
    for name, (table, column) in FOLDED.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
            f"USING gin (portal_fold({column}::text) gin_trgm_ops)"
        )
    for name in REPLACED:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


def unfold(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, column) in REPLACED.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )
    for name in FOLDED:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS portal_fold(text)")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("portal_search", "0002_fallback_trigram_indexes")]
    operations = [migrations.RunPython(fold, unfold, elidable=False)]

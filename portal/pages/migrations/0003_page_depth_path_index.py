"""An index on wagtailcore_page (depth, path) for child listings in large trees.

Wagtail (treebeard) lists children with `depth = N AND path BETWEEN a AND b`. The path
index alone does not help when the range covers a union's whole subtree (most of the
table), so PostgreSQL scanned all ~100,000 pages of a large union for every listing of
a page's children. With (depth, path) the listing is a short index range scan.
"""

from django.db import migrations

INDEX = "portal_page_depth_path_idx"


def create_index(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (depth, path)"
    )


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_initial"),
        ("wagtailcore", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_index, drop_index)]

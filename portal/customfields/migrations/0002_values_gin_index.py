"""A GIN index (jsonb_path_ops) on the custom values, PostgreSQL only: it answers the
containment test `values @> '{"key": value}'` that filters by a field's value
(docs/contact-register.md, "Custom fields", has the query plans)."""

from django.db import migrations

INDEX = "customfields_values_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON customfields_personcustomvalues "
            "USING gin (values jsonb_path_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("customfields", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]

"""Indexes on the audit table for the DPO's review (docs/privacy.md, "Audit-log review").

The audit app's own index (union, person_id, created_at) serves the person filter; the
review's default listing (a union's newest entries, keyset-paged on created_at, id) and
its actor filter had only the single-column created_at index, which on a table of
millions scans every union's rows. Kept here, with the feature that needs them, as
plain SQL so the audit model stays as it is; IF NOT EXISTS works on PostgreSQL and SQLite.
"""

from django.db import migrations

INDEXES = {
    "audit_union_created_id": "(union_id, created_at DESC, id DESC)",
    "audit_union_actor_created": "(union_id, actor_id, created_at DESC)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("dpo", "0001_initial"),
        ("audit", "0004_lock_action"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON audit_auditentry {columns}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, columns in INDEXES.items()
    ]

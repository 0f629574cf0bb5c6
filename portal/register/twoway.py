"""Two-way sync: a field changed both in the portal and in the register (U-2.5).

The rule: the later change wins. A portal change is a member's or staff's edit since
the register last wrote that person's data of this kind (both are in the audit log);
the register's change time is the record's `changed_at`, or the time of the call.
The losing version is kept in a `Conflict` row, listed for staff.
"""

# ruff: noqa: S608 - SQL built from model metadata, the staging table's generated name and
# the kind's declared field names; every value is a query parameter.

from __future__ import annotations

from portal.audit.models import AuditAction, AuditEntry
from portal.people.models import REGISTER_OWNED_FIELDS, Employment, Person

from . import records as R
from .models import Conflict, Winner
from .plans import PLANS, table
from .staging import Stage, col

# kind → (staging column of the person, how the portal's audit entries name the row)
KINDS = {
    R.PEOPLE: ("target_id", "a.target = s.target_id::text"),
    R.EMPLOYMENTS: ("person_id", "a.target = 'employment:' || s.target_id"),
}


def resolve(cursor, stage: Stage, union, now, register_target: str) -> int:
    """Settle the fields changed on both sides; returns the number of conflicts."""
    kind = stage.kind.name
    person_col, portal_target = KINDS[kind]
    fields = [n for n in REGISTER_OWNED_FIELDS[kind] if n in stage.kind.by_name]
    audit = AuditEntry._meta.db_table
    prefix = register_target.split(":")[0] + ":" + kind + ":%"
    # Only rows that change a two-way field can conflict: picked first (MATERIALIZED, so
    # the planner never walks the union's audit log for a batch that changes nothing).
    cursor.execute(
        f"WITH s AS MATERIALIZED (SELECT idx, target_id, {person_col} AS person_ref, changed, "
        "changed_at "
        f"FROM {stage.name} WHERE NOT is_new AND changed && %(fields)s::text[]) "
        "SELECT s.idx, s.target_id, s.person_ref, f.name, max(a.created_at), "
        f"coalesce(s.changed_at, %(now)s) FROM s "
        f"JOIN {audit} a ON a.union_id = %(union)s AND a.person_id = s.person_ref "
        f"AND a.action = '{AuditAction.EDIT}' AND {portal_target} "
        "CROSS JOIN LATERAL jsonb_array_elements_text(a.fields) AS f(name) "
        "WHERE f.name = ANY(s.changed) AND f.name = ANY(%(fields)s) "
        f"AND a.created_at > coalesce((SELECT max(r.created_at) FROM {audit} r "
        "WHERE r.union_id = %(union)s AND r.person_id = s.person_ref "
        "AND r.target LIKE %(prefix)s), '-infinity') "
        "GROUP BY s.idx, s.target_id, s.person_ref, f.name, s.changed_at",
        {"union": union.pk, "now": now, "fields": fields, "prefix": prefix},
    )
    found = cursor.fetchall()
    if not found:
        return 0
    plan = PLANS[kind]
    columns = {name: (column, expr) for name, column, expr in plan.data}
    model = Person if kind == R.PEOPLE else Employment
    key = " || '/' || ".join(f"s.{col(n)}::text" for n in stage.kind.key)
    conflicts = []
    for idx, _target_id, person_id, name, portal_at, register_at in found:
        column, expr = columns[name]
        cursor.execute(
            f"SELECT s.{expr}, t.{column}, {key} FROM {stage.name} s "
            f"JOIN {table(model)} t ON t.id = s.target_id WHERE s.idx = %s", [idx])
        register_value, portal_value, record_key = cursor.fetchone()
        portal_wins = portal_at > register_at
        if portal_wins:
            # Keep the portal's value: the row is written as if the record had not
            # changed this field.
            cursor.execute(
                f"UPDATE {stage.name} s SET {expr} = t.{column}, "
                f"changed = array_remove(s.changed, %s) FROM {table(model)} t "
                "WHERE t.id = s.target_id AND s.idx = %s", [name, idx])
        conflicts.append(Conflict(
            union=union, kind=kind, key=record_key[:200], person_id=person_id, field=name,
            portal_value=_text(portal_value), portal_changed_at=portal_at,
            register_value=_text(register_value), register_changed_at=register_at,
            winner=Winner.PORTAL if portal_wins else Winner.REGISTER,
        ))
    Conflict.objects.bulk_create(conflicts)
    return len(conflicts)


def _text(value) -> str:
    return "" if value is None else str(value)

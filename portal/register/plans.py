"""Set-based SQL per kind of record: resolve references, merge with the stored rows,
write. Every statement runs over the whole staging table at once (staging.py).

Plain tables (people, employments, positions, trainings) are handled here;
employers and workplaces are pages (pages.py).
"""

# ruff: noqa: S608 - SQL built from model metadata, the staging table's generated name and
# the kind's declared field names; every value is a query parameter.

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from portal.branches.models import BranchPage
from portal.people.models import Employment, Person, PositionOfTrust, Training
from portal.workplaces.models import EmployerPage, WorkplacePage

from . import records as R
from .staging import Stage, bit, col


def table(model) -> str:
    return model._meta.db_table


NOT_FOUND = _("Not found in this union.")


@dataclass(frozen=True)
class Resolve:
    """Fill a reference column; rows where `missing` holds are refused."""

    sql: str  # UPDATE {stage} s SET … FROM … WHERE …  (%(union)s is the union's id)
    missing: str  # a condition on s
    field: str
    code: str = "not_found"
    message: object = NOT_FOUND


@dataclass(frozen=True)
class Plan:
    model: type
    # (record field, column of the table, staging expression) for non-key data fields.
    data: tuple[tuple[str, str, str], ...]
    # (column, staging expression) written on insert only (keys, union, timestamps).
    insert: tuple[tuple[str, str], ...]
    match: str  # t against s
    person: str  # staging column holding the person's id (for audit and search)
    resolve: tuple[Resolve, ...] = field(default_factory=tuple)


def _refs_people() -> tuple[Resolve, ...]:
    return (Resolve(
        f"UPDATE {{stage}} s SET person_id = p.id FROM {table(Person)} p "
        "WHERE p.union_id = %(union)s AND p.member_number = s.f_member_number "
        "AND p.member_number <> ''",
        "s.person_id IS NULL", "member_number"),)


def _ref_employer(column: str, field_name: str) -> Resolve:
    return Resolve(
        f"UPDATE {{stage}} s SET {column} = e.page_ptr_id FROM {table(EmployerPage)} e "
        f"WHERE e.union_id = %(union)s AND e.business_id = s.{col(field_name)}",
        f"s.{column} IS NULL", field_name)


PLANS: dict[str, Plan] = {
    R.PEOPLE: Plan(
        Person,
        data=tuple((name, name, col(name)) for name in (
            "first_name", "last_name", "alternative_name", "email", "phone",
            "street_address", "postal_code", "city", "preferred_language",
            "membership_status", "joined_on", "membership_valid_until", "birth_date",
        )) + (("identity_code", "identity_code_hash", col("identity_code")),
              ("branch", "branch_id", "branch_id")),
        insert=(("member_number", col("member_number")),),
        match="t.member_number = s.f_member_number AND t.member_number <> ''",
        person="target_id",
        resolve=(Resolve(
            f"UPDATE {{stage}} s SET branch_id = b.page_ptr_id FROM {table(BranchPage)} b "
            "WHERE b.union_id = %(union)s AND b.number = s.f_branch AND s.f_branch <> ''",
            "s.f_branch <> '' AND s.branch_id IS NULL", "branch"),),
    ),
    R.EMPLOYMENTS: Plan(
        Employment,
        data=(("workplace", "workplace_id", "workplace_id"), ("title", "title", col("title")),
              ("ends_on", "ends_on", col("ends_on"))),
        insert=(("person_id", "person_id"), ("employer_id", "employer_id"),
                ("starts_on", col("starts_on"))),
        match="t.person_id = s.person_id AND t.employer_id = s.employer_id "
              "AND t.starts_on = s.f_starts_on",
        person="person_id",
        resolve=_refs_people() + (
            _ref_employer("employer_id", "employer"),
            Resolve(
                f"UPDATE {{stage}} s SET workplace_id = w.page_ptr_id, "
                f"wp_employer_id = w.employer_id FROM {table(WorkplacePage)} w "
                "WHERE w.union_id = %(union)s AND w.register_id = s.f_workplace "
                "AND s.f_workplace <> ''",
                "s.f_workplace <> '' AND s.workplace_id IS NULL", "workplace"),
            Resolve("", "s.workplace_id IS NOT NULL AND s.wp_employer_id <> s.employer_id",
                    "workplace", "wrong_employer",
                    _("The workplace does not belong to the employer.")),
        ),
    ),
    R.POSITIONS: Plan(
        PositionOfTrust,
        data=(("ends_on", "ends_on", col("ends_on")),),
        insert=(("person_id", "person_id"), ("kind", col("kind")),
                ("scope_kind", col("scope_kind")), ("scope_page_id", "scope_page_id"),
                ("starts_on", col("starts_on")), ("source", "'register'")),
        match="t.person_id = s.person_id AND t.kind = s.f_kind "
              "AND t.scope_page_id = s.scope_page_id AND t.starts_on = s.f_starts_on",
        person="person_id",
        resolve=_refs_people() + (
            Resolve(
                f"UPDATE {{stage}} s SET scope_page_id = x.page_ptr_id FROM "
                f"{table(WorkplacePage)} x WHERE s.f_scope_kind = 'workplace' "
                "AND x.union_id = %(union)s AND x.register_id = s.f_scope AND s.f_scope <> ''",
                "false", "scope"),
            Resolve(
                f"UPDATE {{stage}} s SET scope_page_id = x.page_ptr_id FROM "
                f"{table(EmployerPage)} x WHERE s.f_scope_kind = 'employer' "
                "AND x.union_id = %(union)s AND x.business_id = s.f_scope",
                "false", "scope"),
            Resolve(
                f"UPDATE {{stage}} s SET scope_page_id = x.page_ptr_id FROM "
                f"{table(BranchPage)} x WHERE s.f_scope_kind = 'branch' "
                "AND x.union_id = %(union)s AND x.number = s.f_scope AND s.f_scope <> ''",
                "false", "scope"),
            Resolve(
                "UPDATE {stage} s SET scope_page_id = %(root)s WHERE s.f_scope_kind = 'union'",
                "s.scope_page_id IS NULL", "scope"),
        ),
    ),
    R.TRAININGS: Plan(
        Training,
        data=(("provider", "provider", col("provider")),),
        insert=(("person_id", "person_id"), ("name", col("name")),
                ("completed_on", col("completed_on"))),
        match="t.person_id = s.person_id AND t.name = s.f_name "
              "AND t.completed_on = s.f_completed_on",
        person="person_id",
        resolve=_refs_people(),
    ),
}


def resolve(cursor, stage: Stage, plan_resolves, result, params) -> None:
    for step in plan_resolves:
        if step.sql:
            cursor.execute(step.sql.format(stage=stage.name), params)
        if step.missing != "false":
            stage.refuse(cursor, result, step.missing, step.field, step.code, step.message)


def merge(cursor, stage: Stage, data, source: str, match: str, union_id: int) -> None:
    """Find each record's stored row; fill absent fields from it; list changed fields.

    `source` is the stored rows as an SQL table expression aliased t, with `id`.
    """
    kind = stage.kind
    owned = {f.name for f in kind.fields if f.owned}
    sets, changes = [], []
    for name, column, expr in data:
        b = bit(kind, name)
        if name in owned:
            sets.append(f"{expr} = CASE WHEN s.present & {b} <> 0 THEN s.{expr} "
                        f"ELSE t.{column} END")
            changes.append(f"CASE WHEN s.present & {b} <> 0 AND s.{expr} IS DISTINCT FROM "
                           f"t.{column} THEN '{name}' END")
        else:  # the portal's own field: the register sets it on create only
            sets.append(f"{expr} = t.{column}")
    cursor.execute(
        f"UPDATE {stage.name} s SET target_id = t.id, is_new = false, {', '.join(sets)}, "
        f"changed = array_remove(ARRAY[{', '.join(changes) or 'NULL'}]::text[], NULL) "
        f"FROM {source} WHERE {match}",
        {"union": union_id},
    )


def counts(cursor, stage: Stage) -> tuple[int, int, int]:
    cursor.execute(
        f"SELECT count(*) FILTER (WHERE is_new), "
        f"count(*) FILTER (WHERE NOT is_new AND cardinality(changed) > 0), "
        f"count(*) FILTER (WHERE NOT is_new AND cardinality(changed) = 0) FROM {stage.name}"
    )
    return cursor.fetchone()


def write_table(cursor, stage: Stage, plan: Plan, union_id: int, now) -> tuple[int, int]:
    """Write the new and changed rows; returns (created, updated)."""
    name = table(plan.model)
    data_cols = [c for _n, c, _e in plan.data]
    data_exprs = [f"s.{e}" for _n, _c, e in plan.data]
    ins_cols = [c for c, _e in plan.insert]
    ins_exprs = [e if e.startswith("'") else f"s.{e}" for _c, e in plan.insert]
    params = {"union": union_id, "now": now}
    if plan.model is Person:
        owned_cols = [c for n, c, _e in plan.data
                      if stage.kind.by_name[n].owned]
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in owned_cols)
        differs = (f"({', '.join('t.' + c for c in owned_cols)}) IS DISTINCT FROM "
                   f"({', '.join('EXCLUDED.' + c for c in owned_cols)})")
        # The new people's ids go back to the staging table (audit entries, search).
        cursor.execute(
            f"WITH w AS (INSERT INTO {name} AS t (union_id, {', '.join(ins_cols + data_cols)}, "
            "user_id, activated_at, created_at, updated_at) "
            f"SELECT %(union)s, {', '.join(ins_exprs + data_exprs)}, NULL, NULL, "
            f"%(now)s, %(now)s FROM {stage.name} s "
            "WHERE s.is_new OR cardinality(s.changed) > 0 "
            "ON CONFLICT (union_id, member_number) WHERE member_number <> '' "
            f"DO UPDATE SET {updates}, updated_at = EXCLUDED.updated_at WHERE {differs} "
            "RETURNING id, member_number, (xmax = 0) AS created), "
            f"u AS (UPDATE {stage.name} s SET target_id = w.id FROM w "
            "WHERE w.created AND s.f_member_number = w.member_number) "
            "SELECT count(*) FILTER (WHERE created), count(*) FROM w",
            params,
        )
        created, written = cursor.fetchone()
        return created, written - created
    sets = ", ".join(f"{c} = {e}" for c, e in zip(data_cols, data_exprs, strict=True))
    cursor.execute(
        f"UPDATE {name} t SET {sets} FROM {stage.name} s "
        "WHERE t.id = s.target_id AND NOT s.is_new AND cardinality(s.changed) > 0", params)
    updated = cursor.rowcount
    cursor.execute(
        f"INSERT INTO {name} (union_id, {', '.join(ins_cols + data_cols)}) "
        f"SELECT %(union)s, {', '.join(ins_exprs + data_exprs)} FROM {stage.name} s "
        "WHERE s.is_new", params)
    return cursor.rowcount, updated

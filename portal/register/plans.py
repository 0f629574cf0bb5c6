"""Set-based SQL per kind of record: merge with the stored rows, write. Every statement
runs over the whole staging table at once (staging.py); references were resolved as
the records were staged (refs.py).

Plain tables (people, employments, positions, trainings) are handled here;
employers and workplaces are pages (pages.py).
"""

# ruff: noqa: S608 - SQL built from model metadata, the staging table's generated name and
# the kind's declared field names; every value is a query parameter.

from __future__ import annotations

from dataclasses import dataclass

from portal.people.models import Employment, Person, PositionOfTrust, Training

from . import records as R
from .refs import NOT_FOUND
from .staging import Stage, bit, col


def table(model) -> str:
    return model._meta.db_table


__all__ = ["NOT_FOUND", "PLANS", "Plan", "counts", "merge", "table", "write_table"]


@dataclass(frozen=True)
class Plan:
    model: type
    # (record field, column of the table, staging expression) for non-key data fields.
    data: tuple[tuple[str, str, str], ...]
    # (column, staging expression) written on insert only (keys, union, timestamps).
    insert: tuple[tuple[str, str], ...]
    match: str  # t against s
    person: str  # staging column holding the person's id (for audit and search)
    # One stored row at most per key (a unique constraint): no DISTINCT ON in the merge.
    unique: bool = False


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
        unique=True,
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
    ),
    R.TRAININGS: Plan(
        Training,
        data=(("provider", "provider", col("provider")),),
        insert=(("person_id", "person_id"), ("name", col("name")),
                ("completed_on", col("completed_on"))),
        match="t.person_id = s.person_id AND t.name = s.f_name "
              "AND t.completed_on = s.f_completed_on",
        person="person_id",
    ),
}


def merge(cursor, stage: Stage, data, source: str, match: str, union_id: int, *,
          unique: bool = False, new_ids: str | None = None) -> None:
    """Find each record's stored row; fill absent fields from it; list changed fields.
    Only the records that create or change a row go on (Stage.merged): an unchanged
    record is read once, here, and never written.

    `source` is the stored rows as an SQL table expression aliased t, with `id`, and
    `match` the join condition against s. Without `unique` a key may match several
    stored rows (no constraint forbids it): the lowest id is taken. `new_ids` names a
    sequence: new records get their id from it here, so nothing has to be written back
    after the INSERT.
    """
    kind = stage.kind
    owned = {f.name for f in kind.fields if f.owned}
    exprs, changes = {}, []
    for name, column, expr in data:
        b = bit(kind, name)
        if name in owned:
            exprs[expr] = (f"CASE WHEN t.id IS NULL OR s.present & {b} <> 0 THEN s.{expr} "
                           f"ELSE t.{column} END")
            changes.append(f"CASE WHEN s.present & {b} <> 0 AND s.{expr} IS DISTINCT FROM "
                           f"t.{column} THEN '{name}' END")
        else:  # the portal's own field: the register sets it on create only
            exprs[expr] = f"CASE WHEN t.id IS NULL THEN s.{expr} ELSE t.{column} END"
    exprs["target_id"] = "t.id" if new_ids is None else (
        "coalesce(t.id, nextval(%(new_ids)s::regclass))")
    exprs["is_new"] = "t.id IS NULL"
    exprs["changed"] = ("CASE WHEN t.id IS NULL THEN s.changed ELSE "
                        f"array_remove(ARRAY[{', '.join(changes) or 'NULL'}]::text[], NULL) "
                        "END")
    columns = ", ".join(f"{exprs.get(c, 's.' + c)} AS {c}" for c in stage.columns)
    distinct, order = ("", "") if unique else ("DISTINCT ON (s.idx) ", " ORDER BY s.idx, t.id")
    stage.merged(cursor, f"SELECT {distinct}{columns} FROM {stage.name} s "
                 f"LEFT JOIN {source} ON {match}{order}",
                 {"union": union_id, "new_ids": new_ids})


def counts(cursor, stage: Stage) -> tuple[int, int, int]:
    """(created, updated, unchanged) of the merged batch."""
    cursor.execute(
        f"SELECT count(*) FILTER (WHERE is_new), "
        f"count(*) FILTER (WHERE NOT is_new AND cardinality(changed) > 0) FROM {stage.name}")
    created, updated = cursor.fetchone()
    return created, updated, stage.rows - created - updated


def outcomes(cursor, stage: Stage) -> list[tuple[int, str]]:
    """(index, created | updated | unchanged) of every accepted record, in index order."""
    cursor.execute(
        f"SELECT s.idx, CASE WHEN m.is_new THEN 'created' WHEN cardinality(m.changed) > 0 "
        f"THEN 'updated' ELSE 'unchanged' END FROM {stage.loaded} s "
        f"LEFT JOIN {stage.name} m ON m.idx = s.idx ORDER BY s.idx")
    return cursor.fetchall()


def person_ids(cursor) -> str:
    """The sequence of people's ids (merge(new_ids=…))."""
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table(Person)])
    return cursor.fetchone()[0]


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
        # New people come with their ids from the merge; a record taken for new whose
        # member number another transaction has inserted since meets the conflict and
        # gets that row's id back.
        cursor.execute(
            f"WITH w AS (INSERT INTO {name} AS t (id, union_id, "
            f"{', '.join(ins_cols + data_cols)}, user_id, activated_at, created_at, "
            f"updated_at) SELECT s.target_id, %(union)s, {', '.join(ins_exprs + data_exprs)}, "
            f"NULL, NULL, %(now)s, %(now)s FROM {stage.name} s "
            "WHERE s.is_new OR cardinality(s.changed) > 0 "
            "ON CONFLICT (union_id, member_number) WHERE member_number <> '' "
            f"DO UPDATE SET {updates}, updated_at = EXCLUDED.updated_at WHERE {differs} "
            "RETURNING id, member_number, (xmax = 0) AS created), "
            f"u AS (UPDATE {stage.name} s SET target_id = w.id, is_new = false FROM w "
            "WHERE NOT w.created AND s.is_new AND s.f_member_number = w.member_number) "
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

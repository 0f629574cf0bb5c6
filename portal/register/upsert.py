"""The body of `actions.upsert_records`: check, stage, resolve, merge, write, audit."""

# ruff: noqa: S608 - SQL built from model metadata, the staging table's generated name and
# the kind's declared field names; every value is a query parameter.

from __future__ import annotations

import functools

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from portal.audit.log import AuditAction, _request_id, record
from portal.audit.models import AuditEntry
from portal.union.models import UnionSettings
from search.client import is_enabled as search_enabled
from search.models import OutboxEntry, OutboxTarget

from . import pages, plans, twoway
from . import records as R
from .plans import PLANS, counts, merge, table, write_table
from .records import BatchResult
from .signals import register_synced
from .staging import Stage, col

KEYS_IN_SUMMARY = 1000
# A batch creating fewer rows never refreshes the table's planner statistics
# (refresh_statistics).
ANALYZE_AFTER = 1000


def audit_target(kind: str, source: str, api_client=None) -> str:
    """The audit target of register writes; two-way sync finds them by the prefix."""
    label = f"{source}:{api_client.pk}" if api_client is not None else source
    return f"register:{kind}:{label}"


def run(*, union, kind, records, acting_user, api_client, source, dry_run,
        outcomes=False) -> BatchResult:
    if kind not in R.KINDS:
        raise ValueError(f"unknown kind of register record: {kind!r}")
    result = BatchResult(kind=kind, dry_run=dry_run, outcomes=[] if outcomes else None)
    if connection.vendor != "postgresql":
        from .fallback import run as fallback_run

        return fallback_run(union=union, kind=kind, records=records, acting_user=acting_user,
                            api_client=api_client, source=source, dry_run=dry_run,
                            result=result)
    stage = Stage(R.KINDS[kind], union)
    now = timezone.now()
    target = audit_target(kind, source, api_client)
    with transaction.atomic(), connection.cursor() as cursor:
        stage.create(cursor)
        stage.load(cursor, records, result)
        stage.refuse_duplicates(cursor, result)
        stage.refuse_references(cursor, result)
        if kind == R.EMPLOYERS:
            pages.refuse_ambiguous(cursor, stage, union, result)
        plan = PLANS.get(kind)
        if plan is not None:
            merge(cursor, stage, plan.data, f"{table(plan.model)} t",
                  f"t.union_id = %(union)s AND {plan.match}", union.pk, unique=plan.unique,
                  new_ids=plans.person_ids(cursor) if kind == R.PEOPLE else None)
        else:
            pages.prepare(cursor, stage, union)
        if kind in twoway.KINDS and not UnionSettings.for_union(union).register_one_way(kind):
            result.conflicts = twoway.resolve(cursor, stage, union, now, target)
        result.created, result.updated, result.unchanged = counts(cursor, stage)
        if outcomes:
            result.outcomes = plans.outcomes(cursor, stage)
        if dry_run:
            transaction.set_rollback(True)
        else:
            _write(cursor, stage, plan, union, now, result, acting_user, target)
            stage.drop(cursor)
    result.errors.sort(key=lambda e: (e.index, e.field))
    return result


def _write(cursor, stage, plan, union, now, result, acting_user, target) -> None:
    kind = stage.kind.name
    if plan is not None:
        result.created, result.updated = write_table(cursor, stage, plan, union.pk, now)
        refresh_statistics(cursor, table(plan.model), union.pk, result.created)
        touched_people = _audit_people(cursor, stage, plan.person, union, now, acting_user,
                                       target, ids=kind == R.POSITIONS)
        if search_enabled():
            _outbox_people(cursor, stage, plan.person, union, now)
        if kind == R.POSITIONS:
            _sync_grants(touched_people, acting_user)
    else:
        result.created, result.updated, page_ids = pages.write(cursor, stage, union)
        if page_ids and search_enabled():
            OutboxEntry.objects.bulk_create(
                [OutboxEntry(target=OutboxTarget.PAGE, object_id=pk, union_id=union.pk,
                             created_at=now) for pk in page_ids], batch_size=5000)
    keys = ", ".join(col(n) for n in stage.kind.key)
    cursor.execute(f"SELECT {keys} FROM {stage.name} WHERE is_new OR cardinality(changed) > 0 "
                   f"ORDER BY idx LIMIT {KEYS_IN_SUMMARY}")
    touched = ["/".join(str(v) for v in row) for row in cursor.fetchall()]
    # One entry for the batch: its counts, and the keys it touched (the first thousand;
    # every person touched also has an entry of their own).
    record(
        actor=acting_user, union=union, action=AuditAction.EDIT,
        target=(f"{target} created={result.created} updated={result.updated} "
                f"unchanged={result.unchanged} rejected={len(result.errors)} "
                f"conflicts={result.conflicts}"),
        fields=touched,
    )
    if search_enabled():
        from search.outbox import _drain_after_commit

        _drain_after_commit()
    transaction.on_commit(functools.partial(
        register_synced.send, sender="portal.register",
        union=union, kinds=(kind,), result=result), robust=True)


def refresh_statistics(cursor, name: str, union_id: int, created: int) -> None:
    """ANALYZE a table when this batch alone created more than twice the rows the
    planner thinks the union has in it. Until autovacuum gets to it the planner goes by
    the old statistics, in which a new union has no people: the next batch (employments
    right after their people) then looked each chunk's member numbers up by scanning all
    of the union's people through the union index. Our own inserts count in the sample,
    so the statistics are those of the committed batch; a union growing call by call
    (the API) is analysed in its first calls only. ANALYZE's lock is held to the commit,
    and another session's import or autovacuum may hold it: then it is skipped after a
    short wait (autovacuum will do it) rather than serialising the imports."""
    if created < ANALYZE_AFTER:
        return
    cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {name} WHERE union_id = %s",
                   [union_id])
    if cursor.fetchone()[0][0]["Plan"]["Plan Rows"] * 2 >= created:
        return
    cursor.execute("SELECT current_setting('lock_timeout')")
    (timeout,) = cursor.fetchone()
    try:
        with transaction.atomic():  # a savepoint: a lock timeout undoes only this
            cursor.execute("SET LOCAL lock_timeout = '200ms'")
            cursor.execute(f"ANALYZE {name}")
    except OperationalError as error:
        from psycopg.errors import LockNotAvailable

        if not isinstance(error.__cause__, LockNotAvailable):
            raise
    cursor.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])


def _audit_people(cursor, stage, person_col, union, now, acting_user, target, *,
                  ids: bool) -> list[int]:
    """One audit entry per person created or changed, in one INSERT … SELECT; with
    `ids`, the people's ids (positions sync their page rights; a people or employments
    batch of 300,000 would only fetch them to throw them away)."""
    meta = AuditEntry._meta
    actor = acting_user.pk if getattr(acting_user, "is_authenticated", False) else None
    cursor.execute(
        f"INSERT INTO {meta.db_table} (union_id, actor_id, person_id, action, target, fields, "
        f"request_id, created_at) SELECT %(union)s, %(actor)s, s.{person_col}, "
        f"CASE WHEN s.is_new THEN '{AuditAction.CREATE}' ELSE '{AuditAction.EDIT}' END, "
        f"%(target)s, to_jsonb(s.changed), %(rid)s, %(now)s FROM {stage.name} s "
        f"WHERE s.is_new OR cardinality(s.changed) > 0{' RETURNING person_id' if ids else ''}",
        {"union": union.pk, "actor": actor, "target": target[:200], "rid": _request_id.get(),
         "now": now},
    )
    return sorted({row[0] for row in cursor.fetchall()}) if ids else []


def _outbox_people(cursor, stage, person_col, union, now) -> None:
    # A people batch has one row per person (its key); other kinds may have several.
    distinct = "" if person_col == "target_id" else "DISTINCT "
    cursor.execute(
        f"INSERT INTO {OutboxEntry._meta.db_table} (target, object_id, union_id, created_at, "
        f"attempts, last_error) SELECT {distinct}'{OutboxTarget.PERSON}', s.{person_col}, "
        f"%(union)s, %(now)s, 0, '' FROM {stage.name} s "
        f"WHERE s.is_new OR cardinality(s.changed) > 0",
        {"union": union.pk, "now": now},
    )


def _sync_grants(person_ids: list[int], acting_user) -> None:
    # Positions of trust grant page rights (access/grants.py); a batch of positions is
    # small, so each person's grants are made right one by one.
    from portal.access.actions import sync_grants_for_person
    from portal.people.models import Person

    for person in Person.objects.filter(pk__in=person_ids).select_related("user"):
        sync_grants_for_person(person, acting_user=acting_user)

# ruff: noqa: S608 - table names from model metadata; values are parameters
"""Keeping an automated group's members in step with its rule, set-based.

On PostgreSQL one statement per group: the people the rule selects (a subquery built
from the whitelist in rules.py), an INSERT … SELECT of the new ones (ON CONFLICT DO
NOTHING: manual members stay manual), a DELETE of the automation's members who no
longer match, and the log rows and audit entries of both (actor: none, the system;
target: the group, the change and the rule in words), in data-modifying CTEs. No
person passes through Python. SQLite (the demo) does the same in a few ORM statements.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.audit.log import AuditAction, record_many
from portal.audit.models import AuditEntry
from portal.people.models import Person

from . import rules
from .models import Change, Group, GroupLogEntry, GroupMembership, Source


def _selected(group: Group):
    """The people the group's rule selects (none without a rule: its members all leave)."""
    people = Person.objects.for_union(group.union_id).living()
    if not group.rule:
        return people.filter(pk=-1)
    return people.filter(rules.rule_q(group.union, group.rule))


@transaction.atomic
def evaluate_group(group: Group) -> tuple[int, int]:
    """Adds the rule's new members and removes those who no longer match (only members
    the automation added; manual ones stay); logs each. Returns (entered, left)."""
    group = Group.objects.select_for_update().select_related("union").get(pk=group.pk)
    now = timezone.now()
    reason = rules.describe(group.union, group.rule)[:300]
    selected = _selected(group)
    matching = selected.values("pk").order_by()
    # The automation's members no longer selected, each checked by the person's primary
    # key (a correlated NOT EXISTS): robust to the planner's stale estimates right after
    # a big first run, where an anti-join against the whole selection went quadratic.
    gone = (GroupMembership.objects.filter(group_id=group.pk, source=Source.RULE)
            .filter(~Exists(selected.filter(pk=OuterRef("person_id"))))
            .values("pk").order_by())
    if connection.vendor == "postgresql":
        entered, left = _evaluate_sql(group, matching, gone, reason, now)
    else:
        entered, left = _evaluate_orm(group, matching, gone, reason, now)
    Group.objects.filter(pk=group.pk).update(evaluated_at=now)
    return entered, left


def _audit_target(group_pk: int, change: str, reason: str) -> str:
    # As a manual change's target ("group 7 entered"), then which rule did it.
    return f"group {group_pk} {change} rule: {reason}"[:AuditEntry._meta.get_field("target")
                                                        .max_length]


def _evaluate_sql(group, matching, gone, reason, now) -> tuple[int, int]:
    select, params = matching.query.sql_with_params()
    gone_select, gone_params = gone.query.sql_with_params()
    members = GroupMembership._meta.db_table
    log = GroupLogEntry._meta.db_table
    audit = AuditEntry._meta.db_table
    # Table names from model metadata, the rest parameters: the subquery is the ORM's own
    # SQL with its parameters kept separate.
    sql = f"""
        WITH entered AS (
            INSERT INTO {members} (union_id, group_id, person_id, source, added_at)
            SELECT %s, %s, m.pk, %s, %s FROM ({select}) m
            ON CONFLICT (group_id, person_id) DO NOTHING
            RETURNING person_id),
        gone AS (
            DELETE FROM {members} WHERE id IN ({gone_select})
            RETURNING person_id),
        logged AS (
            INSERT INTO {log} (union_id, group_id, person_id, change, source, reason, at)
            SELECT %s, %s, person_id, %s, %s, %s, %s FROM entered
            UNION ALL
            SELECT %s, %s, person_id, %s, %s, %s, %s FROM gone
            RETURNING change),
        audited AS (
            INSERT INTO {audit} (union_id, actor_id, person_id, action, target, fields,
                                 request_id, created_at)
            SELECT %s, NULL::bigint, person_id, %s, %s, %s::jsonb, '', %s FROM entered
            UNION ALL
            SELECT %s, NULL::bigint, person_id, %s, %s, %s::jsonb, '', %s FROM gone)
        SELECT count(*) FILTER (WHERE change = %s), count(*) FILTER (WHERE change = %s)
        FROM logged"""
    union, pk = group.union_id, group.pk
    arguments = [
        union, pk, Source.RULE, now, *params,
        *gone_params,
        union, pk, Change.ENTERED, Source.RULE, reason, now,
        union, pk, Change.LEFT, Source.RULE, reason, now,
        union, AuditAction.EDIT, _audit_target(pk, Change.ENTERED, reason), '["groups"]', now,
        union, AuditAction.EDIT, _audit_target(pk, Change.LEFT, reason), '["groups"]', now,
        Change.ENTERED, Change.LEFT,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        entered, left = cursor.fetchone()
    return entered, left


def _evaluate_orm(group, matching, gone, reason, now) -> tuple[int, int]:
    current = GroupMembership.objects.filter(group=group)
    new_ids = list(Person.objects.filter(pk__in=matching).exclude(
        pk__in=current.values("person_id")).values_list("pk", flat=True))
    gone_ids = list(GroupMembership.objects.filter(pk__in=gone)
                    .values_list("person_id", flat=True))
    GroupMembership.objects.bulk_create(
        [GroupMembership(union_id=group.union_id, group=group, person_id=pk,
                         source=Source.RULE, added_at=now) for pk in new_ids],
        batch_size=500)
    current.filter(person_id__in=gone_ids, source=Source.RULE).delete()
    GroupLogEntry.objects.bulk_create(
        [GroupLogEntry(union_id=group.union_id, group=group, person_id=pk, change=change,
                       source=Source.RULE, reason=reason, at=now)
         for change, ids in ((Change.ENTERED, new_ids), (Change.LEFT, gone_ids))
         for pk in ids], batch_size=500)
    for change, ids in ((Change.ENTERED, new_ids), (Change.LEFT, gone_ids)):
        record_many(actor=None, union=group.union_id, action=AuditAction.EDIT,
                    people=Person.objects.filter(pk__in=ids).only("pk"), fields=["groups"],
                    target=_audit_target(group.pk, change, reason))
    return len(new_ids), len(gone_ids)


def evaluate_union(union_id: int) -> int:
    """Runs every automation of the union; returns how many groups ran."""
    groups = list(Group.objects.filter(union_id=union_id, rule__isnull=False))
    for group in groups:
        evaluate_group(group)
    return len(groups)

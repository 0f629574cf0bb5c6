"""Writes of the register integration: upserting register records set-based."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from portal.union.models import Union

from .records import BatchResult


def upsert_records(
    *,
    union: Union,
    kind: str,
    records: Iterable[Mapping[str, Any]],
    acting_user=None,
    api_client=None,
    source: str,
    dry_run: bool = False,
    outcomes: bool = False,
) -> BatchResult:
    """Create or update a union's records of one kind (records.KINDS) by external key.

    Every record is checked (records.clean_record: types, Finnish/ISO dates, required
    and unknown fields), duplicate keys within the batch are refused (every occurrence
    after the first), and references (branch number, business ID, workplace register
    ID, member number) resolve only inside `union` — another union's is "not found".
    Bad records are listed in `BatchResult.errors` with their 0-based index and field
    and never block the good ones. The good ones are written set-based (PostgreSQL:
    COPY into an unlogged staging table, then one INSERT … ON CONFLICT / UPDATE … FROM
    per table), in chunks so memory stays flat, all in one transaction: on a database
    error nothing of the batch is written and the error propagates. Rows whose values
    did not change are not touched (`unchanged`). `dry_run` checks everything and
    reports what would happen, writing nothing.

    `source` says where the batch came from ("api", "import", …) and is written to the
    audit entries with `acting_user` / `api_client`: one summary entry per batch with
    the counts, plus one entry per person created or changed. Changed people and pages
    are queued for search (search/outbox.py). After the commit
    `signals.register_synced` is sent. Two-way kinds (UnionSettings.register_flow)
    resolve fields changed on both sides by the later change and record a
    `register.Conflict`. `outcomes=True` also lists what happened to each accepted
    record (`BatchResult.outcomes`).
    """
    from .upsert import run

    return run(union=union, kind=kind, records=records, acting_user=acting_user,
               api_client=api_client, source=source, dry_run=dry_run, outcomes=outcomes)


@transaction.atomic
def set_register_flow(*, union: Union, flows: Mapping[str, str], acting_user) -> list[str]:
    """Set which way each kind of register data flows (U-2.5); returns the kinds changed.
    Callers check that `acting_user` is the union's admin."""
    from portal.audit.log import AuditAction, record
    from portal.union.models import REGISTER_KINDS, RegisterFlow, UnionSettings

    union_settings = UnionSettings.for_union(union)
    current = dict(union_settings.register_flow or {})
    changed = []
    for kind, flow in flows.items():
        if kind not in REGISTER_KINDS or flow not in RegisterFlow.values:
            raise ValueError(f"{kind!r}: {flow!r}")
        if union_settings.register_flow_of(kind) != flow:
            changed.append(kind)
        current[kind] = flow
    if changed or union_settings.pk is None:
        union_settings.register_flow = current
        union_settings.save()
    if changed:
        record(actor=acting_user, union=union, action=AuditAction.EDIT,
               target="union-settings:register-flow", fields=changed)
    return changed

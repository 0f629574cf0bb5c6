"""The one accessor that writes audit entries. Every view, edit and export of a
person's data goes through `record` or `record_many`."""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterable, Sequence

from django.db import connection
from django.utils import timezone

from .models import AuditAction, AuditEntry

_TARGET_LENGTH = AuditEntry._meta.get_field("target").max_length

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("audit_request_id", default="")


def set_request_id(value: str) -> None:
    _request_id.set(value)


def _actor_id(actor) -> int | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor.pk


def record(
    *,
    actor,
    union,
    action: str,
    person=None,
    target: str = "",
    fields: Sequence[str] = (),
) -> None:
    if not target and person is not None and hasattr(person, "pk"):
        target = str(person.pk)
    person_id = getattr(person, "pk", person)
    if connection.vendor == "postgresql":
        # Every view of a person's page writes one: one statement without a model
        # instance, save() and its signals (about 500 fewer Python calls a page view).
        _insert_unnest([person_id], {
            "union": getattr(union, "pk", union), "actor": _actor_id(actor),
            "action": action, "target": target[:_TARGET_LENGTH], "fields": list(fields),
            "request_id": _request_id.get(), "created_at": timezone.now()})
        return
    AuditEntry.objects.create(
        union=union,
        actor_id=_actor_id(actor),
        person_id=person_id,
        action=action,
        target=target[:_TARGET_LENGTH],
        fields=list(fields),
        request_id=_request_id.get(),
    )


def record_many(
    *, actor, union, action: str, people: Iterable, fields: Sequence[str] = (), target: str = ""
) -> int:
    """One entry per person shown, written in a single statement (list pages stay flat)."""
    person_ids = [person.pk for person in people]
    if not person_ids:
        return 0
    values = {
        "union": getattr(union, "pk", union),
        "actor": _actor_id(actor),
        "action": action,
        "target": target[:_TARGET_LENGTH],
        "fields": list(fields),
        "request_id": _request_id.get(),
        "created_at": timezone.now(),
    }
    if connection.vendor == "postgresql":
        _insert_unnest(person_ids, values)
    else:
        AuditEntry.objects.bulk_create(
            AuditEntry(
                union_id=values["union"], actor_id=values["actor"], person_id=person_id,
                action=action, target=values["target"], fields=values["fields"],
                request_id=values["request_id"],  # created_at: auto_now_add
            )
            for person_id in person_ids
        )
    return len(person_ids)


def _insert_unnest(person_ids: list[int], values: dict) -> None:
    """INSERT … SELECT unnest(ids): one round trip and no model instance per person (a
    None among the ids is an entry about no person).

    A union page shows some forty officials to every member who opens it; building forty
    AuditEntry objects and a bulk_create transaction cost more than the rest of the list.
    """
    meta = AuditEntry._meta
    columns = {name: meta.get_field(name).column for name in (
        "union", "actor", "person_id", "action", "target", "fields", "request_id", "created_at")}
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns.values())
    sql = (
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({column_list}) "  # noqa: S608 - names from model metadata
        # Typed, so that the statement can be prepared (parameters bound on the server,
        # where an untyped NULL would be text): planned once per connection.
        "SELECT %s::bigint, %s::bigint, unnest(%s::bigint[]), %s::varchar, %s::varchar, "
        "%s::jsonb, %s::varchar, %s::timestamptz"
    )
    from portal.union.compiled import execute_prepared

    execute_prepared(connection, sql, [
        values["union"], values["actor"], person_ids, values["action"], values["target"],
        json.dumps(values["fields"]), values["request_id"], values["created_at"],
    ], fetch=False)


__all__ = ["AuditAction", "record", "record_many", "set_request_id"]

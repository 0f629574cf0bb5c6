"""The one accessor that writes audit entries. Every view, edit and export of a
person's data goes through `record` or `record_many`."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Sequence

from .models import AuditAction, AuditEntry

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
) -> AuditEntry:
    return AuditEntry.objects.create(
        union=union,
        actor_id=_actor_id(actor),
        person_id=getattr(person, "pk", person),
        action=action,
        target=target or (str(person.pk) if person is not None and hasattr(person, "pk") else ""),
        fields=list(fields),
        request_id=_request_id.get(),
    )


def record_many(
    *, actor, union, action: str, people: Iterable, fields: Sequence[str] = (), target: str = ""
) -> int:
    """One entry per person shown, written in a single INSERT (list pages stay flat)."""
    request_id = _request_id.get()
    actor_id = _actor_id(actor)
    entries = [
        AuditEntry(
            union=union,
            actor_id=actor_id,
            person_id=person.pk,
            action=action,
            target=target,
            fields=list(fields),
            request_id=request_id,
        )
        for person in people
    ]
    if entries:
        AuditEntry.objects.bulk_create(entries)
    return len(entries)


__all__ = ["AuditAction", "record", "record_many", "set_request_id"]

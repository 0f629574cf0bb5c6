"""The change feed (`selectors.changes_since`), read from the audit log.

Every portal write on people, employments and positions of trust already leaves an
audit entry (people/actions.py: target = the person's id, `employment:<id>`,
`position:<id>`), and the register's own writes are marked `register:…`; so the log
is the feed, and its ids are the cursor. Values are the rows' current ones.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q

from portal.audit.models import AuditAction, AuditEntry
from portal.people.models import Employment, Person, PositionOfTrust, ScopeKind

from . import records as R

MAX_LIMIT = 1000
_ACTIONS = (AuditAction.CREATE, AuditAction.EDIT, AuditAction.DELETE)
_PERSON_FIELDS = {f.name for f in R.KINDS[R.PEOPLE].fields} - {"identity_code"}


class BadCursor(ValueError):
    pass


def encode_cursor(entry_id: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{entry_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, value = text.split(":", 1)
        if version != "v1" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadCursor("not a cursor of this feed") from error


def _kind_filter(kinds: Iterable[str] | None) -> Q:
    wanted = set(kinds) if kinds is not None else {R.PEOPLE, R.EMPLOYMENTS, R.POSITIONS}
    q = Q(pk__in=[])
    if R.PEOPLE in wanted:
        q |= Q(target__regex=r"^[0-9]+$")
    if R.EMPLOYMENTS in wanted:
        q |= Q(target__startswith="employment:")
    if R.POSITIONS in wanted:
        q |= Q(target__startswith="position:")
    return q


def settle_seconds() -> float:
    """How far the app servers' clocks may be behind the database's."""
    return getattr(settings, "REGISTER_FEED_SETTLE_SECONDS", 2)


def horizon() -> dt.datetime | None:
    """Entries made from this time on may still have company: a transaction in
    progress (it has written; other than this one) may commit an entry with a lower
    id than them, so the cursor must not pass them yet. None: nothing in progress."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        # The activity view is read once per transaction unless its snapshot is cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        # Only client sessions write audit entries: an autovacuum worker may hold an xid
        # for minutes (it held the feed back in a test run) and commits none.
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'")
        oldest = cursor.fetchone()[0]
    return None if oldest is None else oldest - dt.timedelta(seconds=settle_seconds())


def read_changes(*, union, cursor, kinds, limit) -> tuple[list[dict[str, Any]], str]:
    after = decode_cursor(cursor)
    limit = max(1, min(int(limit), MAX_LIMIT))
    until = horizon()
    entries = list(
        AuditEntry.objects.for_union(union)
        .filter(pk__gt=after, action__in=_ACTIONS, person_id__isnull=False)
        .exclude(target__startswith="register:")
        .filter(_kind_filter(kinds))
        .order_by("pk")
        .values("pk", "person_id", "action", "target", "fields", "created_at")[:limit]
    )
    if until is not None:
        # Up to the first entry made after the oldest transaction still in progress
        # began: ids are taken in order, so those after it wait for the next call.
        cut = next((i for i, e in enumerate(entries) if e["created_at"] >= until), None)
        entries = entries if cut is None else entries[:cut]
    if not entries:
        return [], encode_cursor(after)
    people = Person.objects.for_union(union).in_bulk({e["person_id"] for e in entries})
    employments = (Employment.objects.for_union(union)
                   .select_related("employer", "workplace")
                   .in_bulk(_ids(entries, "employment:")))
    positions = PositionOfTrust.objects.for_union(union).in_bulk(_ids(entries, "position:"))
    scope_keys = _scope_keys(union, positions.values())
    changes = []
    for entry in entries:
        person = people.get(entry["person_id"])
        member_number = person.member_number if person else ""
        target = entry["target"]
        if target.startswith("employment:"):
            change = _employment(entry, employments.get(int(target.split(":")[1])),
                                 member_number)
        elif target.startswith("position:"):
            change = _position(entry, positions.get(int(target.split(":")[1])),
                               member_number, scope_keys)
        else:
            change = _person(entry, person)
        change["changed_at"] = entry["created_at"].isoformat()
        changes.append(change)
    return changes, encode_cursor(entries[-1]["pk"])


def _ids(entries, prefix: str) -> set[int]:
    return {int(e["target"].split(":")[1]) for e in entries
            if e["target"].startswith(prefix) and e["target"].split(":")[1].isdigit()}


def _action(entry, row, ends_on=None) -> str:
    if row is None or entry["action"] == AuditAction.DELETE:
        return "deleted"
    if entry["action"] == AuditAction.CREATE:
        return "created"
    if "ends_on" in (entry["fields"] or []) and ends_on is not None:
        return "ended"
    return "updated"


def _value(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _person(entry, person) -> dict[str, Any]:
    fields = {}
    if person is not None:
        for name in entry["fields"] or []:
            if name in _PERSON_FIELDS and name != "branch":
                fields[name] = _value(getattr(person, name))
    return {"kind": R.PEOPLE, "action": _action(entry, person),
            "key": {"member_number": person.member_number if person else ""},
            "portal_id": entry["person_id"], "fields": fields}


def _employment(entry, employment, member_number) -> dict[str, Any]:
    if employment is None:
        return {"kind": R.EMPLOYMENTS, "action": "deleted", "key": {},
                "portal_id": int(entry["target"].split(":")[1]), "fields": {}}
    return {
        "kind": R.EMPLOYMENTS,
        "action": _action(entry, employment, employment.ends_on),
        "key": {"member_number": member_number,
                "employer": employment.employer.business_id,
                "starts_on": _value(employment.starts_on)},
        "portal_id": employment.pk,
        # None, not "": the same as the list endpoints give for "no workplace".
        "fields": {"workplace": (employment.workplace.register_id or None)
                   if employment.workplace else None,
                   "title": employment.title, "ends_on": _value(employment.ends_on)},
    }


def _scope_keys(union, positions) -> dict[int, str]:
    from portal.branches.models import BranchPage
    from portal.workplaces.models import EmployerPage, WorkplacePage

    ids = {p.scope_page_id for p in positions}
    keys: dict[int, str] = {}
    for model, attr in ((WorkplacePage, "register_id"), (EmployerPage, "business_id"),
                        (BranchPage, "number")):
        keys.update(model.objects.for_union(union).filter(pk__in=ids)
                    .values_list("pk", attr))
    return keys


def _position(entry, position, member_number, scope_keys) -> dict[str, Any]:
    if position is None:
        return {"kind": R.POSITIONS, "action": "deleted", "key": {},
                "portal_id": int(entry["target"].split(":")[1]), "fields": {}}
    # None for the union as a whole, as the list endpoints give it.
    scope = None if position.scope_kind == ScopeKind.UNION else scope_keys.get(
        position.scope_page_id) or None
    return {
        "kind": R.POSITIONS,
        "action": _action(entry, position, position.ends_on),
        "key": {"member_number": member_number, "kind": position.kind,
                "scope_kind": position.scope_kind, "scope": scope,
                "starts_on": _value(position.starts_on)},
        "portal_id": position.pk,
        "fields": {"ends_on": _value(position.ends_on)},
    }

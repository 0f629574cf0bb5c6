"""Reading the audit log for the data protection officer: filters that the indexes of
migration 0002 serve, keyset paging (no COUNT over millions of rows), names resolved in
two queries per page, all scoped to one union."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, Value
from django.db.models.functions import Concat

from portal.audit.models import AuditAction, AuditEntry
from portal.people.labels import audit_field_label
from portal.people.models import Person
from portal.union.models import Role

from .models import DataProtectionOfficer, DpoSettings

PAGE_SIZE = 50
# Name searches resolve to at most this many accounts or people (an IN list, indexed).
MATCH_LIMIT = 200
# The actions a member's "who viewed my data" list shows.
READ_ACTIONS = (AuditAction.VIEW, AuditAction.LIST, AuditAction.EXPORT)


def is_dpo(user, union) -> bool:
    if union is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.union_id != union.pk:
        return False
    return DataProtectionOfficer.objects.for_union(union).filter(user=user).exists()


def officers(union) -> list[DataProtectionOfficer]:
    rows = list(DataProtectionOfficer.objects.for_union(union).select_related("user")
                .order_by("designated_at", "pk"))
    names = actor_names(union, {row.user_id for row in rows})
    for row in rows:
        row.name = names.get(row.user_id, str(row.user))
    return rows


def show_viewers(union) -> bool:
    return DpoSettings.objects.for_union(union).filter(show_viewers_to_members=True).exists()


def _named(queryset, text: str, first: str, last: str):
    words = text.split()
    for word in words:
        queryset = queryset.filter(Q(**{f"{first}__icontains": word})
                                   | Q(**{f"{last}__icontains": word}))
    return queryset


def account_ids(union, text: str) -> list[int]:
    users = get_user_model().objects.filter(union=union)
    if "@" in text:
        users = users.filter(email__iexact=text.strip())
    else:
        users = _named(users, text, "first_name", "last_name")
    return list(users.values_list("pk", flat=True)[:MATCH_LIMIT])


def person_ids(union, text: str) -> list[int]:
    """A person id, a member number or words of the name."""
    text = text.strip()
    people = Person.objects.for_union(union)
    if text.isdigit():
        people = people.filter(pk=int(text))
    else:
        named = _named(people, text, "first_name", "last_name")
        people = people.filter(member_number=text) | named
    return list(people.values_list("pk", flat=True)[:MATCH_LIMIT])


@dataclass
class Filters:
    actor: str = ""
    person: str = ""
    action: str = ""
    target: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def filtered(union, filters: Filters):
    entries = AuditEntry.objects.for_union(union)
    if filters.actor:
        entries = entries.filter(actor_id__in=account_ids(union, filters.actor))
    if filters.person:
        entries = entries.filter(person_id__in=person_ids(union, filters.person))
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.target:
        entries = entries.filter(target__startswith=filters.target)
    if filters.since:
        entries = entries.filter(created_at__gte=filters.since)
    if filters.until:
        entries = entries.filter(created_at__lt=filters.until)
    return entries.order_by("-created_at", "-pk")


def encode_cursor(entry: AuditEntry) -> str:
    return f"{entry.created_at.isoformat()}_{entry.pk}"


def _decode_cursor(cursor: str):
    try:
        stamp, pk = cursor.rsplit("_", 1)
        return dt.datetime.fromisoformat(stamp), int(pk)
    except (ValueError, TypeError):
        return None


def page(union, filters: Filters, cursor: str = "") -> tuple[list[AuditEntry], str]:
    """One page older than `cursor` and the cursor of the next page ('' at the end)."""
    entries = filtered(union, filters)
    position = _decode_cursor(cursor) if cursor else None
    if position:
        stamp, pk = position
        entries = entries.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk))
    rows = list(entries[:PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    label_rows(union, rows)
    return rows, encode_cursor(rows[-1]) if more else ""


def actor_names(union, ids) -> dict[int, str]:
    """Accounts of `union` by their profile's name (accounts often carry only an email),
    else by the account itself."""
    names = {u.pk: str(u) for u in get_user_model().objects.filter(union=union, pk__in=ids)}
    names.update(Person.objects.for_union(union).filter(user_id__in=names)
                 .annotate(name=Concat("first_name", Value(" "), "last_name"))
                 .values_list("user_id", "name"))
    return names


def label_rows(union, rows: list[AuditEntry]) -> None:
    """Actor and person by name (two queries), only from this union."""
    actors = actor_names(union, {r.actor_id for r in rows if r.actor_id})
    people = dict(Person.objects.for_union(union).filter(
        pk__in={r.person_id for r in rows if r.person_id})
        .annotate(name=Concat("first_name", Value(" "), "last_name"))
        .values_list("pk", "name"))
    for row in rows:
        row.actor_name = actors.get(row.actor_id, "")
        row.person_name = people.get(row.person_id, "")
        # In the reader's language; the CSV export keeps the logged names.
        row.field_labels = [audit_field_label(name) for name in row.fields or ()]


def stream(union, filters: Filters, chunk: int = 2000) -> Iterator[AuditEntry]:
    """Every filtered entry, keyset-paged so the export never holds the table."""
    cursor = ""
    while True:
        entries = filtered(union, filters)
        position = _decode_cursor(cursor) if cursor else None
        if position:
            stamp, pk = position
            entries = entries.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk))
        rows = list(entries[:chunk])
        if not rows:
            return
        label_rows(union, rows)
        yield from rows
        cursor = encode_cursor(rows[-1])


def viewers_of(person, limit: int = 100) -> list[dict]:
    """Who read `person`'s data, newest first: officials by name, staff and admins as
    "union staff"; the person's own reads left out."""
    union = person.union
    entries = list(AuditEntry.objects.for_union(union)
                   .filter(person_id=person.pk, action__in=READ_ACTIONS, actor__isnull=False)
                   .exclude(actor_id=person.user_id)
                   .order_by("-created_at", "-pk")
                   .values("actor_id", "action", "created_at")[:limit])
    ids = {e["actor_id"] for e in entries}
    staff = set(get_user_model().objects.filter(
        pk__in=ids, union=union, groups__union_role__union=union,
        groups__union_role__role__in=[Role.STAFF, Role.ADMIN]).values_list("pk", flat=True))
    names = actor_names(union, ids)
    for entry in entries:
        entry["staff"] = entry["actor_id"] in staff or entry["actor_id"] not in names
        entry["name"] = "" if entry["staff"] else names[entry["actor_id"]]
        entry["action_label"] = AuditAction(entry["action"]).label
    return entries

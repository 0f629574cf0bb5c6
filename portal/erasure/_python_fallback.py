"""The merge-snapshot purge and the audit pseudonymising row by row in Python, for the
SQLite development database (no ILIKE ANY, regexp_replace or jsonb; no audit trigger).
PostgreSQL, which production and the tests use, runs the set-based SQL in engine.py."""

from __future__ import annotations

import json
import re

from django.db.models import Q

from portal.audit.models import AuditEntry
from portal.merging.models import MergeRecord
from portal.people.models import Person


def _names(person: Person) -> list[str]:
    from .engine import identifiers

    return [value.casefold() for value in identifiers(person)]


def _mentions(text: str, names: list[str]) -> bool:
    text = text.casefold()
    return any(name in text for name in names)


def purge_merge_snapshots(person: Person, snapshot: tuple[str, ...]) -> int:
    names = _names(person)
    own = re.compile(rf'"person[a-z_]*": {person.pk}\b')
    done = 0
    for merge in MergeRecord.objects.filter(union_id=person.union_id).exclude(
            removed_person=[]):
        text = json.dumps([getattr(merge, name) for name in snapshot])
        if _mentions(text, names) or own.search(text):
            MergeRecord.objects.filter(pk=merge.pk).update(**{
                name: MergeRecord._meta.get_field(name).get_default() for name in snapshot})
            done += 1
    return done


def pseudonymise_audit(person: Person, pseudonym: str) -> int:
    names = _names(person)
    own_id = re.compile(rf"\b{person.pk}\b")
    done = 0
    query = Q(person_id=person.pk)
    if person.user_id:
        query |= Q(actor_id=person.user_id)
    for entry in AuditEntry.objects.filter(query):
        changes = {}
        named = _mentions(entry.target, names)
        if named:
            changes["target"] = pseudonym
        if _mentions(json.dumps(entry.fields, ensure_ascii=False), names):
            changes["fields"] = []
        if entry.person_id == person.pk:
            changes.update(person_id=None, person_pseudonym=pseudonym)
            if not named:
                changes["target"] = own_id.sub(pseudonym, entry.target)
        if person.user_id and entry.actor_id == person.user_id:
            changes.update(actor_id=None, actor_pseudonym=pseudonym)
        if changes:
            AuditEntry.objects.filter(pk=entry.pk).update(**changes)
            done += "person_id" in changes or "actor_id" in changes
    return done

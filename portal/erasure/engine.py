"""Carrying out an erasure plan (plan.py) inside the caller's transaction.

Order: kept rows are unlinked and erased rows deleted model by model (custom erasers
called), merge snapshots that hold the person purged, the audit log pseudonymised, the
profile emptied into a stub, the account deleted, and the person's search document
queued for deletion through the search outbox (so it leaves Elasticsearch only if all
of this commits). Any exception rolls the whole erasure back.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.models import AuditEntry
from portal.merging.models import MergeRecord
from portal.people.models import Person
from portal.privacy import registry
from portal.privacy.registry import Erasure
from search import outbox

from . import _python_fallback
from .plan import CUSTOM, Line, Plan, empty_value


def identifiers(person: Person) -> list[str]:
    """The strings that would identify the person in free text (at least 4 characters,
    so a short name does not match half the log)."""
    values = [person.full_name, f"{person.last_name} {person.first_name}",
              person.alternative_name, person.email, person.phone, person.member_number,
              person.identity_code_hash]
    if person.user_id:
        values.append(person.user.email)
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 4})


def _like_patterns(person: Person) -> list[str]:
    escape = str.maketrans({"%": r"\%", "_": r"\_", "\\": r"\\"})
    return [f"%{value.translate(escape)}%" for value in identifiers(person)]


def special_line(label: str, person: Person) -> Line | None:
    """The confirmation page's line for the models erasure handles itself."""
    title = str(registry.declaration_of_label(label).title or "")
    if label == "people.person":
        return Line(title, anonymised=1, why=[_(
            "An empty profile without any personal data is kept, so that the records "
            "that must be kept still point at one; it leaves every list and the search")])
    if label == "accounts.user":
        return Line(title, erased=1 if person.user_id else 0)
    if label == "audit.auditentry":
        entries = AuditEntry.objects.filter(person_id=person.pk).count()
        if person.user_id:
            entries += AuditEntry.objects.filter(actor_id=person.user_id).count()
        return Line(str(AuditEntry._meta.verbose_name_plural).capitalize(),
                    anonymised=entries, why=[_(
                        "The log of processing is kept; the person is replaced by a "
                        "pseudonym and texts naming them are cleared")])
    return None


def _run_steps(plan: Plan) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    person = plan.person
    for step in plan.steps:
        done = counts.setdefault(step.declaration.label, {"erased": 0, "anonymised": 0})
        rows = step.rows(person)
        if step.action == CUSTOM:
            step.declaration.erase_with(person, rows)
            done["erased"] += step.count
        elif step.action == Erasure.ANONYMISE:
            done["anonymised"] += rows.update(**step.changes) if step.changes else rows.count()
        else:
            done["erased"] += rows.delete()[1].get(step.model._meta.label, 0)
    return counts


SNAPSHOT = ("chosen", "kept_before", "kept_after", "removed_person", "moved", "deleted",
            "kept_rows")


def _purge_merge_snapshots(person: Person, patterns: list[str]) -> int:
    """Undo snapshots of the union's merges that hold the person, emptied (the merge can
    no longer be undone). Their own merges are handled by the registry's declaration."""
    if connection.vendor != "postgresql":
        return _python_fallback.purge_merge_snapshots(person, SNAPSHOT)
    snapshot = SNAPSHOT
    table = MergeRecord._meta.db_table
    texts = " || ".join(f"{c}::text" for c in snapshot)
    sets = ", ".join(f"{c} = %s::jsonb" for c in snapshot)
    empties = ["{}" if isinstance(MergeRecord._meta.get_field(c).get_default(), dict)
               else "[]" for c in snapshot]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} WHERE union_id = %s AND removed_person <> '[]'::jsonb "  # noqa: S608 - names from model metadata
            f"AND (({texts}) ILIKE ANY(%s) OR ({texts}) ~ %s)",
            [*empties, person.union_id, patterns or ["\x00"],
             rf'"person[a-z_]*": {person.pk}\M'])
        return cursor.rowcount


def _pseudonymise_audit(person: Person, pseudonym: str, patterns: list[str]) -> int:
    """The person's entries (and their account's) keep only the pseudonym, and their
    texts that name the person are cleared (both looked up by index). The trigger
    (audit migration 0005) allows exactly this, and only with portal.audit_pseudonymise
    set."""
    if connection.vendor != "postgresql":
        return _python_fallback.pseudonymise_audit(person, pseudonym)
    table = AuditEntry._meta.db_table
    patterns = patterns or ["\x00"]
    done = 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('portal.audit_pseudonymise', 'on', true)")
        cursor.execute(
            f"UPDATE {table} SET person_id = NULL, person_pseudonym = %s, "  # noqa: S608
            "target = CASE WHEN target ILIKE ANY(%s) THEN %s "
            "ELSE regexp_replace(target, %s, %s, 'g') END, "
            "fields = CASE WHEN fields::text ILIKE ANY(%s) THEN '[]'::jsonb ELSE fields END "
            "WHERE person_id = %s",
            [pseudonym, patterns, pseudonym, rf"\m{person.pk}\M", pseudonym, patterns,
             person.pk])
        done += cursor.rowcount
        if person.user_id:
            # By union (and the few without one), so the (union, actor) index serves it.
            for union_test in ("union_id = %s", "union_id IS NULL AND %s IS NOT NULL"):
                cursor.execute(
                    f"UPDATE {table} SET actor_id = NULL, actor_pseudonym = %s, "  # noqa: S608
                    "target = CASE WHEN target ILIKE ANY(%s) THEN %s ELSE target END, "
                    "fields = CASE WHEN fields::text ILIKE ANY(%s) THEN '[]'::jsonb "
                    f"ELSE fields END WHERE {union_test} AND actor_id = %s",
                    [pseudonym, patterns, pseudonym, patterns, person.union_id,
                     person.user_id])
                done += cursor.rowcount
        # Not scanned: other people's entries that name the person in free text (a name
        # typed into the log review's filter). Over a union's whole log that scan took
        # 5.7 s per million entries (docs/benchmarks.md, "Erasure"); the review should
        # log what it resolved, not what was typed (docs/privacy.md).
        cursor.execute("SELECT set_config('portal.audit_pseudonymise', 'off', true)")
    return done


def _empty_profile(person: Person) -> None:
    declaration = registry.declaration_of(Person)
    changes = {}
    for name, personal in declaration.fields.items():
        model_field = Person._meta.get_field(name)
        if personal.erasure == Erasure.ERASE or name == "deceased_on":
            changes[model_field.attname] = empty_value(model_field)
    changes.update(user_id=None, anonymised_at=timezone.now())
    Person.objects.filter(pk=person.pk).update(**changes)


def run(plan: Plan, *, pseudonym: str) -> dict[str, dict[str, int]]:
    """Erase `plan.person` (call inside a transaction); returns the counts per model."""
    person = plan.person
    patterns = _like_patterns(person)
    counts = _run_steps(plan)
    _purge_merge_snapshots(person, patterns)
    counts["audit.auditentry"] = {"erased": 0,
                                  "anonymised": _pseudonymise_audit(person, pseudonym, patterns)}
    _empty_profile(person)
    counts["people.person"] = {"erased": 0, "anonymised": 1}
    if person.user_id:
        User.objects.filter(pk=person.user_id).delete()
        counts["accounts.user"] = {"erased": 1, "anonymised": 0}
    # The stub is no searchable person (search/indexing.py): the drain deletes the
    # document after the commit; if it rolls back, the entry goes with it.
    outbox.enqueue(Person(pk=person.pk, union_id=person.union_id))
    return {label: n for label, n in counts.items() if n["erased"] or n["anonymised"]}

"""Moving every row that points at one person to another, found generically through
Person's reverse relations, so that apps added later (groups, custom fields, life
events, …) need no hook of their own.

A row under a uniqueness constraint per person (a one-to-one row, `unique_together`, a
`UniqueConstraint` naming the person's key, with its condition) that the kept person
already has a match for is a duplicate: it is deleted, with what deleting it cascades
to, and kept in the merge record's snapshot. So is a row the database refuses to move
for a rule only it knows (an expression index; a check, such as a household link's that
forbids linking a person with themself). A row linking the two people that no rule
forbids is moved, not dropped: a contact-log entry of the kept person contacting the
removed one is campaign history that still counts (docs/contact-register.md). A one-to-one
row both people have is merged first: the kept row takes the removed row's values for
its empty fields, and JSON objects the keys they lack (custom field values, email
flags); its earlier state is in the snapshot too."""

from __future__ import annotations

import json

from django.apps import apps
from django.core import serializers
from django.db import IntegrityError, router, transaction
from django.db.models import Exists, ForeignKey, OuterRef, Q, UniqueConstraint
from django.db.models.deletion import Collector

from portal.people.models import Person


def person_relations() -> list[tuple[type, ForeignKey]]:
    """(model, foreign key) of every relation pointing at Person, hidden ones too (a
    `related_name="+"`, an automatic many-to-many table)."""
    found = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue
        if rel.many_to_many:
            continue  # its table's foreign keys are listed as relations of their own
        model = rel.related_model._meta.concrete_model
        if not model._meta.managed or (model, rel.field) in found:
            continue
        found.append((model, rel.field))
    return found


def _unique_sets(model, field) -> list[tuple[list[str], Q | None]]:
    """The other fields of each uniqueness rule that includes `field`, with its condition."""
    names = {field.name, field.attname}
    rules: list[tuple[list[str], Q | None]] = []
    if field.unique:
        rules.append(([], None))
    for together in model._meta.unique_together:
        if names & set(together):
            rules.append(([n for n in together if n not in names], None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and names & set(constraint.fields):
            rules.append(([n for n in constraint.fields if n not in names],
                          constraint.condition))
    return rules


def duplicates(model, field, *, removed_id: int, kept_id: int) -> Q:
    """Rows of the removed person that the kept person already has (per uniqueness
    rule)."""
    rows = model._base_manager.all()
    doomed = Q(pk__in=[])
    for others, condition in _unique_sets(model, field):
        kept_rows = rows.filter(**{field.attname: kept_id})
        candidates = rows.filter(**{field.attname: removed_id})
        if condition is not None:
            kept_rows, candidates = kept_rows.filter(condition), candidates.filter(condition)
        match = kept_rows.filter(**{name: OuterRef(name) for name in others})
        doomed |= Q(pk__in=candidates.filter(Exists(match)).values("pk"))
    return doomed


def serialise(objects) -> list:
    return json.loads(serializers.serialize("json", objects)) if objects else []


def delete_with_snapshot(objects) -> list:
    """Delete `objects` and what deleting them cascades to; their rows, serialised."""
    if not objects:
        return []
    collector = Collector(using=router.db_for_write(type(objects[0])))
    collector.collect(objects)
    collector.sort()  # children before parents: the order they are deleted in
    rows = []
    for queryset in collector.fast_deletes:
        rows += serialise(list(queryset))
    for _model, instances in collector.data.items():
        rows += serialise(list(instances))
    collector.delete()
    return rows


def restore(rows: list) -> int:
    """Insert serialised rows again with their ids, parents first (the reverse of the
    order they were deleted in; foreign keys are checked at the end anyway)."""
    count = 0
    for obj in serializers.deserialize("json", json.dumps(rows[::-1])):
        obj.save()
        count += 1
    return count


def _empty(value) -> bool:
    return value is None or value == "" or value == {} or value == []


def _fill_one_to_one(model, field, doomed: list, kept_id: int) -> list:
    """The kept person's one-to-one row takes what the removed one's has and it lacks;
    returns its earlier state, serialised (restored by an undo)."""
    kept_row = model._base_manager.filter(**{field.attname: kept_id}).first()
    if kept_row is None or not doomed:
        return []
    before = serialise([kept_row])
    removed_row, changed = doomed[0], []
    for other in model._meta.concrete_fields:
        if other.primary_key or other is field or other.name == "union":
            continue
        mine, theirs = getattr(kept_row, other.attname), getattr(removed_row, other.attname)
        if isinstance(mine, dict) and isinstance(theirs, dict) and theirs.keys() - mine.keys():
            setattr(kept_row, other.attname, {**theirs, **mine})
        elif _empty(mine) and not _empty(theirs):
            setattr(kept_row, other.attname, theirs)
        else:
            continue
        changed.append(other.attname)
    if not changed:
        return []
    model._base_manager.filter(pk=kept_row.pk).update(
        **{name: getattr(kept_row, name) for name in changed})
    return before


def _move(model, field, ids: list, kept_id: int) -> tuple[list, list]:
    """Move the rows; those the database refuses (a rule of its own) are deleted as
    duplicates instead. Returns the ids moved and the rows deleted."""
    rows = model._base_manager.filter(pk__in=ids)
    try:
        with transaction.atomic():
            rows.update(**{field.attname: kept_id})
        return ids, []
    except IntegrityError:
        pass
    moved, deleted = [], []
    for pk in ids:
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=pk).update(**{field.attname: kept_id})
            moved.append(pk)
        except IntegrityError:
            deleted += delete_with_snapshot([model._base_manager.get(pk=pk)])
    return moved, deleted


def move_rows(*, removed_id: int, kept_id: int) -> tuple[list, list, list]:
    """Move every row pointing at `removed_id` to `kept_id`. Returns what was moved
    ([[model label, field attname, [ids]], ...]) and, serialised for an undo, the
    duplicates deleted and the kept one-to-one rows' earlier state."""
    moved, deleted, filled = [], [], []
    for model, field in person_relations():
        doomed = list(model._base_manager.filter(
            duplicates(model, field, removed_id=removed_id, kept_id=kept_id),
            **{field.attname: removed_id}))
        if field.unique:
            filled += _fill_one_to_one(model, field, doomed, kept_id)
        deleted += delete_with_snapshot(doomed)
        ids = list(model._base_manager.filter(**{field.attname: removed_id})
                   .values_list("pk", flat=True))
        if ids:
            ids, refused = _move(model, field, ids, kept_id)
            deleted += refused
            if ids:
                moved.append([model._meta.label, field.attname, ids])
    return moved, deleted, filled


def move_back(moved: list, *, kept_id: int, removed_id: int) -> int:
    """Move the rows of a merge back to the removed person: those still pointing at the
    kept one (a row deleted since stays deleted)."""
    count = 0
    for label, attname, ids in moved:
        model = apps.get_model(label)
        count += model._base_manager.filter(pk__in=ids, **{attname: kept_id}).update(
            **{attname: removed_id})
    return count


def related_counts(person_id: int) -> dict[str, int]:
    """Rows per table pointing at a person (for the comparison)."""
    counts = {}
    for model, field in person_relations():
        n = model._base_manager.filter(**{field.attname: person_id}).count()
        if n:
            counts[model._meta.label] = counts.get(model._meta.label, 0) + n
    return counts

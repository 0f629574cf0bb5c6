"""The merge of two people of one union and its undo (issue 15 item 6), each in one
transaction with audit entries.

The user account (`Person.user`, one-to-one) follows one rule: the kept person keeps
their account, or takes the removed person's when they have none; two people who both
have an account are not merged (one of the accounts would be left without its
profile: staff remove or block one first)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.access.actions import sync_grants_for_person
from portal.access.roles import is_staff
from portal.audit.log import AuditAction, record
from portal.dataquality.selectors import forget_pairs
from portal.people.models import Person
from portal.union.models import Union
from search import outbox as search_outbox
from search.models import OutboxTarget

from . import moves
from .models import UNDO_DAYS, DismissedPair, MergeRecord

# The fields a merge never takes from the removed person by choice: the tenant, the
# account (the rule above), identity and times the merge sets itself.
NOT_CHOSEN = {"id", "union", "user", "identity_code_hash", "activated_at", "created_at",
              "updated_at"}


def choosable_fields() -> list:
    """Person's fields staff choose between on the comparison (new fields join)."""
    return [f for f in Person._meta.concrete_fields if f.editable and f.name not in NOT_CHOSEN]


def _json(value) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _values(person: Person) -> dict[str, Any]:
    return {f.attname: _json(getattr(person, f.attname)) for f in Person._meta.concrete_fields}


def _check_staff(acting_user, union: Union) -> None:
    if acting_user is None or not is_staff(acting_user, union):
        raise PermissionDenied


def _reindex(union: Union, *ids: int) -> None:
    search_outbox.enqueue_ids(OutboxTarget.PERSON, ids, union_id=union.pk)
    forget_pairs(union)


def merge_people(*, union: Union, kept: Person, removed: Person, take: list[str],
                 acting_user) -> MergeRecord:
    """Merge `removed` into `kept`: `kept` takes the values of the fields named in `take`
    from `removed`, and every row pointing at `removed` moves to `kept` (duplicates under
    a per-person uniqueness rule are dropped, kept in the snapshot); `removed` is
    deleted. Returns the merge record (the snapshot to undo it within 30 days)."""
    _check_staff(acting_user, union)
    if kept.pk == removed.pk:
        raise ValidationError(_("A person cannot be merged with themself."))
    if kept.union_id != union.pk or removed.union_id != union.pk:
        raise ValidationError(_("People of two unions cannot be merged."))
    allowed = {f.name for f in choosable_fields()}
    if set(take) - allowed:
        raise ValidationError(_("These fields cannot be chosen: %s")
                              % ", ".join(sorted(set(take) - allowed)))
    try:
        return _merge(union, kept.pk, removed.pk, take, acting_user)
    except IntegrityError as error:
        raise ValidationError(_("The merge could not be saved: %s") % error) from error


@transaction.atomic
def _merge(union, kept_id, removed_id, take, acting_user) -> MergeRecord:
    # Locked in id order: two merges of the same people wait for each other.
    locked = {p.pk: p for p in Person.objects.for_union(union).select_for_update()
              .filter(pk__in=[kept_id, removed_id]).order_by("pk")}
    if len(locked) != 2:
        raise ValidationError(_("One of the people no longer exists."))
    kept, removed = locked[kept_id], locked[removed_id]
    if kept.user_id and removed.user_id:
        raise ValidationError(_(
            "Both people have a user account. Remove or block one of the accounts "
            "before merging, so that nobody is left with an account without a profile."))
    before = _values(kept)
    snapshot = moves.serialise([removed])

    # Apps whose per-person rows need more than "the kept person's row wins" settle them
    # first (campaigns: the more active team place); they return the kept rows' earlier
    # state, serialised, which an undo restores like the filled one-to-one rows.
    settled = []
    for hook in hooks.get_hooks("before_merge_people"):
        settled += hook(kept_id=kept.pk, removed_id=removed.pk) or []
    moved, deleted, filled = moves.move_rows(removed_id=removed.pk, kept_id=kept.pk)
    filled = settled + filled
    account = removed.user
    if account is not None:
        # One-to-one: the account leaves the removed person before the kept one takes it.
        Person.objects.filter(pk=removed.pk).update(user=None)
    Person.objects.filter(pk=removed.pk).delete()

    for name in take:
        field = Person._meta.get_field(name)
        setattr(kept, field.attname, getattr(removed, field.attname))
    if not kept.identity_code_hash and removed.identity_code_hash:
        kept.identity_code_hash = removed.identity_code_hash
    if account is not None:
        kept.user = account
        kept.activated_at = kept.activated_at or removed.activated_at
    # No full_clean: the values come from two existing records (a register's odd email
    # must not stop a merge); the database still refuses a member number taken twice.
    kept.save()
    after = _values(kept)
    changed = [name for name in after if after[name] != before[name] and name != "updated_at"]
    merge = MergeRecord.objects.create(
        union=union, kept_id=kept.pk, removed_id=removed.pk, kept_name=kept.full_name,
        removed_name=removed.full_name, merged_by=acting_user, chosen=list(take),
        kept_before={name: before[name] for name in changed},
        kept_after={name: after[name] for name in changed},
        removed_person=snapshot, moved=moved, deleted=deleted, kept_rows=filled)
    target = f"merging:{merge.pk}"
    record(actor=acting_user, union=union, action=AuditAction.EDIT, person=kept,
           target=target, fields=sorted(set(take) | {"merged"}))
    record(actor=acting_user, union=union, action=AuditAction.DELETE, person=removed.pk,
           target=target, fields=["merged"])
    sync_grants_for_person(kept, acting_user=acting_user)
    _reindex(union, kept.pk, removed.pk)
    return merge


def undo_merge(*, merge: MergeRecord, acting_user) -> Person:
    """Restore the removed person with their original values and id, move back exactly
    the rows the merge moved (those still pointing at the kept person), insert the
    dropped duplicates again and give the kept person back the values the merge changed
    (unless they were edited since). Refused after 30 days."""
    _check_staff(acting_user, merge.union)
    try:
        return _undo(merge.pk, acting_user)
    except IntegrityError as error:
        raise ValidationError(_(
            "The merge cannot be undone: something it would restore has changed since "
            "(%s).") % error) from error


def _refuse_undo(merge: MergeRecord) -> None:
    if merge.undone_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    if not merge.can_be_undone():
        raise ValidationError(_(
            "This merge was made more than 30 days ago and can no longer be undone: the "
            "snapshot it would need is kept for 30 days only."))


@transaction.atomic
def _undo(merge_id: int, acting_user) -> Person:
    merge = MergeRecord.objects.select_for_update().get(pk=merge_id)
    _refuse_undo(merge)
    union = merge.union
    kept = Person.objects.for_union(union).select_for_update().filter(pk=merge.kept_id).first()
    if kept is None:
        raise ValidationError(_(
            "The kept person no longer exists: they were merged into someone else or "
            "erased since. Undo that merge first."))
    # Fields the merge changed go back unless someone has edited them since.
    current = _values(kept)
    for attname, value in merge.kept_before.items():
        if current.get(attname) == merge.kept_after.get(attname):
            field = next(f for f in Person._meta.concrete_fields if f.attname == attname)
            setattr(kept, attname, field.to_python(value))
    kept.save()
    moves.restore(merge.removed_person)
    restored = Person.objects.get(pk=merge.removed_id)
    moves.move_back(merge.moved, kept_id=kept.pk, removed_id=restored.pk)
    moves.restore(merge.deleted)
    moves.restore(merge.kept_rows)  # the kept one-to-one rows as they were (an UPDATE)
    # A restored row referring to something deleted since fails here, not at the commit.
    connection.check_constraints()
    merge.undone_at, merge.undone_by = timezone.now(), acting_user
    merge.save(update_fields=["undone_at", "undone_by"])
    target = f"merging:{merge.pk}:undo"
    record(actor=acting_user, union=union, action=AuditAction.CREATE, person=restored,
           target=target, fields=["merged"])
    record(actor=acting_user, union=union, action=AuditAction.EDIT, person=kept,
           target=target, fields=sorted(merge.kept_before))
    for person in (kept, restored):
        sync_grants_for_person(person, acting_user=acting_user)
    _reindex(union, kept.pk, restored.pk)
    return restored


@transaction.atomic
def dismiss_pair(*, union: Union, first: Person, second: Person, acting_user) -> DismissedPair:
    """Remember that two people are not the same person: the pair is not listed again."""
    _check_staff(acting_user, union)
    if first.union_id != union.pk or second.union_id != union.pk:
        raise ValidationError(_("People of two unions cannot be compared."))
    if first.pk == second.pk:
        raise ValidationError(_("A person cannot be merged with themself."))
    low, high = sorted((first.pk, second.pk))
    dismissal, _created = DismissedPair.objects.get_or_create(
        union=union, first_id=low, second_id=high, defaults={"dismissed_by": acting_user})
    record(actor=acting_user, union=union, action=AuditAction.EDIT, person=first,
           target=f"merging:dismiss:{low}:{high}", fields=["not_duplicate"])
    record(actor=acting_user, union=union, action=AuditAction.EDIT, person=second,
           target=f"merging:dismiss:{low}:{high}", fields=["not_duplicate"])
    return dismissal


SNAPSHOT_FIELDS = ("chosen", "kept_before", "kept_after", "removed_person", "moved",
                   "deleted", "kept_rows")


@transaction.atomic
def forget_expired_snapshots(*, acting_user=None, now=None) -> int:
    """Empties the undo snapshots of merges older than the undo window: they hold the
    removed person's data, which is kept only as long as the merge can be undone. The
    record itself (who merged whom, when) stays. One audit entry per union with a count.
    Returns how many snapshots were emptied."""
    now = now or timezone.now()
    expired = (MergeRecord.objects.filter(merged_at__lt=now - dt.timedelta(days=UNDO_DAYS))
               .exclude(removed_person=[]))
    counts: dict[int, int] = {}
    for union_id in expired.values_list("union_id", flat=True):
        counts[union_id] = counts.get(union_id, 0) + 1
    emptied = expired.update(**{name: _empty(name) for name in SNAPSHOT_FIELDS})
    for union_id, count in sorted(counts.items()):
        record(actor=acting_user, union=Union.objects.get(pk=union_id),
               action=AuditAction.DELETE, target=f"merging:snapshots:{count}",
               fields=list(SNAPSHOT_FIELDS))
    return emptied


def _empty(name: str):
    return {} if name in ("kept_before", "kept_after") else []

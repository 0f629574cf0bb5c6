"""Every change to groups and their members, each with an audit entry and, for members,
a group log entry saying who and why."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.log import AuditAction, record, record_many
from portal.people.models import Person

from . import rules
from .models import Change, Group, GroupLogEntry, GroupMembership, Source


def _check_parent(union, group: Group | None, parent: Group | None) -> None:
    if parent is None:
        return
    if parent.union_id != union.pk:
        raise ValidationError(_("Choose one of your union's own groups."))
    node = parent
    while node is not None:  # groups nest a few levels: walking up is a handful of rows
        if group is not None and node.pk == group.pk:
            raise ValidationError(_("A group cannot be inside itself or its own subgroup."))
        node = node.parent


def _schedule(group: Group) -> None:
    from .tasks import evaluate_group_task

    transaction.on_commit(lambda: evaluate_group_task.enqueue(group.pk), robust=True)


@transaction.atomic
def create_group(*, union, name: str, acting_user, description: str = "",
                 parent: Group | None = None, rule: dict | None = None) -> Group:
    _check_parent(union, None, parent)
    group = Group(union=union, name=name, description=description, parent=parent,
                  rule=rules.validate_rule(union, rule))
    group.full_clean()
    group.save()
    record(actor=acting_user, union=union, action=AuditAction.CREATE,
           target=f"group {group.pk}", fields=["name", "parent", "rule"])
    if group.rule:
        _schedule(group)
    return group


@transaction.atomic
def update_group(*, group: Group, acting_user, values: dict) -> list[str]:
    """`values`: any of name, description, parent, rule. A changed rule runs at once
    (in the background) so the members follow it."""
    unknown = set(values) - {"name", "description", "parent", "rule"}
    if unknown:
        raise ValidationError(f"Unknown: {sorted(unknown)}")
    union = group.union
    if "parent" in values:
        _check_parent(union, group, values["parent"])
    if "rule" in values:
        values = {**values, "rule": rules.validate_rule(union, values["rule"])}
    changed = [name for name, value in values.items() if getattr(group, name) != value]
    for name in changed:
        setattr(group, name, values[name])
    if changed:
        group.full_clean()
        group.save()
        record(actor=acting_user, union=union, action=AuditAction.EDIT,
               target=f"group {group.pk}", fields=changed)
        if "rule" in changed:
            _schedule(group)
    return changed


@transaction.atomic
def delete_group(*, group: Group, acting_user) -> None:
    if group.children.exists():
        raise ValidationError(_("Move or delete the subgroups first."))
    record(actor=acting_user, union=group.union, action=AuditAction.DELETE,
           target=f"group {group.pk} {group.name}", fields=["members"])
    group.delete()


def _people_ids(group: Group, people) -> list[int]:
    """The ids of `people` (persons, ids or a queryset), all of the group's union."""
    if isinstance(people, QuerySet):
        if people.exclude(union_id=group.union_id).exists():
            raise PermissionDenied
        return list(people.values_list("pk", flat=True))
    ids = [getattr(person, "pk", person) for person in people]
    found = Person.objects.for_union(group.union_id).filter(pk__in=ids).count()
    if found != len(set(ids)):
        raise PermissionDenied
    return list(set(ids))


@transaction.atomic
def add_members(*, group: Group, people: Iterable, acting_user) -> int:
    """Adds `people` by hand (the people list's bulk action, the group page); refuses
    anyone of another union. Already members stay as they are. Returns how many entered."""
    ids = _people_ids(group, people)
    existing = set(GroupMembership.objects.filter(group=group, person_id__in=ids)
                   .values_list("person_id", flat=True))
    new = [pk for pk in ids if pk not in existing]
    now = timezone.now()
    GroupMembership.objects.bulk_create(
        [GroupMembership(union_id=group.union_id, group=group, person_id=pk,
                         source=Source.MANUAL, added_by=acting_user, added_at=now)
         for pk in new], batch_size=1000, ignore_conflicts=True)
    _log(group, new, Change.ENTERED, acting_user, now)
    return len(new)


@transaction.atomic
def remove_members(*, group: Group, people: Iterable, acting_user) -> int:
    """Removes `people` from the group, whoever added them. An automation adds them
    back on its next run while they still match its rule."""
    ids = _people_ids(group, people)
    gone = list(GroupMembership.objects.filter(group=group, person_id__in=ids)
                .values_list("person_id", flat=True))
    GroupMembership.objects.filter(group=group, person_id__in=gone).delete()
    _log(group, gone, Change.LEFT, acting_user, timezone.now())
    return len(gone)


def _log(group, ids, change, acting_user, now) -> None:
    if not ids:
        return
    actor = acting_user if getattr(acting_user, "is_authenticated", False) else None
    GroupLogEntry.objects.bulk_create(
        [GroupLogEntry(union_id=group.union_id, group=group, person_id=pk, change=change,
                       source=Source.MANUAL, actor=actor, at=now) for pk in ids],
        batch_size=1000)
    record_many(actor=acting_user, union=group.union_id, action=AuditAction.EDIT,
                people=[SimpleNamespace(pk=pk) for pk in ids], fields=["groups"],
                target=f"group {group.pk} {change}")

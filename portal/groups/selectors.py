"""Reads of groups, always within one union."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.urls import reverse

from portal.access.roles import is_staff

from .models import Group, GroupLogEntry, GroupMembership


def groups_of(union) -> QuerySet[Group]:
    return Group.objects.for_union(union)


def group_of(union, pk) -> Group:
    """The union's group `pk` (DoesNotExist for another union's)."""
    return Group.objects.for_union(union).select_related("parent").get(pk=pk)


def tree(union) -> list[tuple[Group, int]]:
    """The union's groups in tree order with their depth, each with `member_count`."""
    groups = list(groups_of(union).annotate(member_count=Count("memberships")))
    children: dict[int | None, list[Group]] = {}
    for group in groups:
        children.setdefault(group.parent_id, []).append(group)
    ordered: list[tuple[Group, int]] = []

    def walk(parent_id, depth):
        for group in children.get(parent_id, []):
            ordered.append((group, depth))
            walk(group.pk, depth + 1)

    walk(None, 0)
    return ordered


def group_choices(*, union) -> list[tuple[str, str]]:
    """(id, name indented by depth) of the union's groups: the people list's filter and
    the bulk "add to group" offer these."""
    return [(str(group.pk), "\u2003" * depth + group.name) for group, depth in tree(union)]


def descendant_ids(group: Group) -> list[int]:
    """The group and all its subgroups (one query for the union's (id, parent) pairs)."""
    pairs = list(Group.objects.filter(union_id=group.union_id).values_list("pk", "parent_id"))
    ids, frontier = [group.pk], [group.pk]
    while frontier:
        frontier = [pk for pk, parent in pairs if parent in frontier and pk not in ids]
        ids.extend(frontier)
    return ids


def filter_people(queryset, *, union, group):
    """`queryset` (of Person) narrowed to the union's people in `group` or any of its
    subgroups, in SQL. `group` is a Group or its id; another union's raises ValueError."""
    if not isinstance(group, Group):
        try:
            group = Group.objects.for_union(union).filter(pk=int(group)).first()
        except (TypeError, ValueError):
            group = None
    if union is None or group is None or group.union_id != union.pk:
        raise ValueError("The group belongs to another union.")
    members = GroupMembership.objects.filter(group_id__in=descendant_ids(group),
                                             person_id=OuterRef("pk"))
    return queryset.filter(union=union).filter(Exists(members))


def members(group: Group) -> QuerySet[GroupMembership]:
    return (GroupMembership.objects.filter(group=group, union_id=group.union_id)
            .select_related("person", "added_by")
            .order_by("person__last_name", "person__first_name", "person_id"))


def log_of(group: Group) -> QuerySet[GroupLogEntry]:
    return (GroupLogEntry.objects.filter(group=group, union_id=group.union_id)
            .select_related("person", "actor"))


def person_section(*, request, person) -> dict | None:
    """The groups section of a person's page (staff and admins only): their groups,
    how each membership came about, and the recent entries and exits."""
    union = getattr(request, "union", None)
    if union is None or person.union_id != union.pk or not is_staff(request.user, union):
        return None
    memberships = list(GroupMembership.objects.filter(person=person, union_id=union.pk)
                       .select_related("group").order_by("group__name"))
    history = list(GroupLogEntry.objects.filter(person=person, union_id=union.pk)
                   .select_related("group", "actor")[:10])
    return {
        "group_memberships": [
            {"name": m.group.name, "url": reverse("groups:detail", args=[m.group_id]),
             "source": m.get_source_display(), "since": m.added_at} for m in memberships],
        "group_history": history,
    }

"""Who may start a conversation with whom (issue 18 item 1), as SQL filters.

It follows who may see whom (`people.scopes.people_visible_to`): a member may write to
the union's current officials and its staff, an official also to the people in the scope
of their positions, staff and admins to anyone of their union. Anyone may write back to
whoever wrote to them. Accounts of another union, blocked accounts and people marked
deceased are never reachable."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from portal.access.roles import is_staff, roles_for
from portal.accounts.models import Block
from portal.people.models import Employment
from portal.people.scopes import people_visible_to
from portal.union.models import Role, UnionRoleGroup

from .models import Message

MAX_PARTICIPANTS = 25


def _in_union(union, roles=None) -> Exists:
    groups = UnionRoleGroup.objects.for_union(union).filter(group__user=OuterRef("pk"))
    if roles is not None:
        groups = groups.filter(role__in=roles)
    return Exists(groups)


def reachable_users(user, union) -> QuerySet:
    """Accounts of `union` that `user` may start a conversation with."""
    users = get_user_model().objects.filter(union=union, is_active=True).exclude(pk=user.pk)
    if union is None or not roles_for(user, union):
        return users.none()
    users = users.filter(_in_union(union)).exclude(
        Exists(Block.objects.in_force().filter(user_id=OuterRef("pk")))).exclude(
        person__deceased_on__isnull=False)
    if is_staff(user, union):
        return users
    # Each a check of the account at hand (EXISTS), not a list of ids (IN): a list held
    # every account the viewer may see (all the union's officials: 50,000 at 300,000
    # members), read whole even to check the New conversation page's twenty.
    visible = people_visible_to(user, union).filter(user=OuterRef("pk"))
    return users.filter(Q(_in_union(union, (Role.STAFF, Role.ADMIN))) | Q(Exists(visible))
                        | Q(Exists(wrote_to(user, union).filter(sender=OuterRef("pk")))))


def wrote_to(user, union) -> QuerySet:
    """The messages to `user` (in conversations they take part in) with a sender: whoever
    wrote to them may be written back to."""
    return Message.objects.for_union(union).filter(
        conversation__participants__user=user, sender__isnull=False)


def workplace_user_ids(user, union, workplace_id: int, limit: int = 10_000) -> list[int]:
    """Accounts of the people currently working at a workplace, among those `user` may
    see: what "conversations with people of a workplace" means in search."""
    jobs = Employment.objects.for_union(union).current().filter(
        workplace_id=workplace_id, person=OuterRef("pk"))
    return list(people_visible_to(user, union).filter(Exists(jobs), user__isnull=False)
                .values_list("user_id", flat=True)[:limit])

"""Scoped reads of accounts."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from .models import Block, User


def accounts_that_may_set_a_password(union, *, invited: bool = False) -> QuerySet[User]:
    """The accounts that may get a password email from, and set a password on, the site
    of `union` (None: a hostname that is no union's, the platform's own).

    On a union's site: active, unblocked accounts of that union that hold a role in it
    (`access.roles.roles_for`: a role group of the union). An invited account needs no
    role yet: its admin created it and sent the link. On the platform's hostname:
    platform operators only. Nobody else — in particular no account of another union —
    so a reset asked on union A's site never mails, or reveals, union B's people.
    """
    users = User.objects.filter(is_active=True).exclude(
        Exists(Block.objects.in_force().filter(user_id=OuterRef("pk")))
    )
    if union is None:
        return users.filter(union__isnull=True, is_platform_operator=True)
    users = users.filter(union=union)
    if invited:
        return users
    from portal.union.models import UnionRoleGroup

    return users.filter(
        Exists(UnionRoleGroup.objects.for_union(union).filter(group__user=OuterRef("pk")))
    )


def may_set_a_password_here(user, union, *, invited: bool = False) -> bool:
    return accounts_that_may_set_a_password(union, invited=invited).filter(pk=user.pk).exists()

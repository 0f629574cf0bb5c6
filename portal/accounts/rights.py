"""Who may manage which accounts and grant which roles (U-3.16.2, U-3.16.8).

Rules, enforced by the actions and mirrored by the admin forms:

* nobody acts on an account of another union (platform superusers excepted);
* nobody grants or takes away a role ranked above the highest role they hold;
* only union admins manage accounts (the user listing, creating, editing, blocking);
* an admin may manage every account of their union, a lower role only accounts
  ranked strictly below their own (so nobody raises themself or a peer);
* platform operators hold no union role and manage no union's accounts.
"""

from __future__ import annotations

from portal.access.roles import roles_for
from portal.union.models import Role

ROLE_RANK: dict[str, int] = {Role.MEMBER: 0, Role.OFFICIAL: 1, Role.STAFF: 2, Role.ADMIN: 3}
# The official role follows from positions of trust (access.actions.sync_grants_for_person),
# so the account forms never set it by hand.
MANUAL_ROLES = (Role.MEMBER, Role.STAFF, Role.ADMIN)
_SUPERUSER_RANK = 99
_NO_RANK = -1


def rank_of(user) -> int:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NO_RANK
    if user.is_superuser:
        return _SUPERUSER_RANK
    roles = roles_for(user, user.union)
    return max((ROLE_RANK[r] for r in roles), default=_NO_RANK)


def may_manage_accounts(actor) -> bool:
    """May open the union's user listing and add accounts: union admins (and superusers)."""
    return rank_of(actor) >= ROLE_RANK[Role.ADMIN]


def same_union(actor, target) -> bool:
    if actor.is_superuser:
        return True
    return actor.union_id is not None and actor.union_id == target.union_id


def may_manage_user(actor, target) -> bool:
    """May edit or block `target`'s account."""
    if actor is None or target is None or not may_manage_accounts(actor):
        return False
    if actor.is_superuser:
        return True
    if target.is_superuser or target.is_platform_operator or not same_union(actor, target):
        return False
    actor_rank, target_rank = rank_of(actor), rank_of_held(target)
    return target_rank < actor_rank or actor_rank == ROLE_RANK[Role.ADMIN]


def rank_of_held(user) -> int:
    """The rank of the roles `user` holds in their union (active or not)."""
    if user.is_superuser:
        return _SUPERUSER_RANK
    roles = user.groups.filter(union_role__union_id=user.union_id).values_list(
        "union_role__role", flat=True
    )
    return max((ROLE_RANK[r] for r in roles), default=_NO_RANK)


def grantable_roles(actor) -> tuple[str, ...]:
    """The roles `actor` may grant or take away: none ranked above their own."""
    rank = rank_of(actor)
    return tuple(role for role in Role if ROLE_RANK[role] <= rank)

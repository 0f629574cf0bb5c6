"""Who holds which role in which union. Roles come from role groups and positions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.union.models import Role
from portal.union.viewer import viewer_fact

if TYPE_CHECKING:
    from portal.accounts.models import User
    from portal.union.models import Union

_CACHE = "_union_roles_cache"


def roles_for(user: User | None, union: Union | None) -> frozenset[str]:
    """The roles `user` holds in `union` (cached on the user object for the request)."""
    if user is None or union is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.union_id != union.pk:
        return frozenset()
    cache = getattr(user, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE, cache)
    if union.pk not in cache:
        # Kept briefly per process too (union/viewer.py): dropped when the user's groups
        # or the union's people and positions change.
        cache[union.pk] = viewer_fact(
            union_id=union.pk, user=user, name="roles",
            build=lambda: frozenset(user.groups.filter(union_role__union=union)
                                    .values_list("union_role__role", flat=True)))
    return cache[union.pk]


# Rights other apps read once and keep on the user object (mapping's right to a
# workplace): forgotten with the roles and Wagtail's page permissions kept on the user
# (`forget_roles`), which `access.actions.sync_grants_for_person` calls when grants change.
_RIGHTS_CACHE = "_union_rights_cache"


def rights_cache(user, name: str) -> dict:
    """A dict kept on the user object for the rights named `name`, until `forget_roles`."""
    caches = getattr(user, _RIGHTS_CACHE, None)
    if caches is None:
        caches = {}
        setattr(user, _RIGHTS_CACHE, caches)
    return caches.setdefault(name, {})


def forget_roles(user: User) -> None:
    """Forget the user's roles and every right read from them or from their page grants."""
    from wagtail.permissions import page_permission_policy

    for name in (_CACHE, _RIGHTS_CACHE, page_permission_policy.permission_cache_name):
        if hasattr(user, name):
            delattr(user, name)


def is_admin(user, union) -> bool:
    return Role.ADMIN in roles_for(user, union)


def is_staff(user, union) -> bool:
    """Staff or admin: both keep the union's pages and people data."""
    return bool({Role.STAFF, Role.ADMIN} & roles_for(user, union))


def is_member_of(user, union) -> bool:
    return bool(roles_for(user, union))


def can_manage_page(request, page) -> bool:
    """Staff of the site's union, or an official whose position gives them this page (through
    the page policy). They see the people of the page: a branch's members, a workplace's or
    employer's employees and its organisational situation."""
    user = request.user
    union = getattr(request, "union", None)
    if not user.is_authenticated or union is None or getattr(page, "union_id", None) != union.pk:
        return False
    roles = roles_for(user, union)
    if {Role.STAFF, Role.ADMIN} & roles:
        return True
    # Page rights come only from positions of trust, whose holders have the official role
    # (kept in step by access.actions, daily for terms that start or end): a plain member,
    # most visitors, is answered without the three permission queries.
    return Role.OFFICIAL in roles and page.permissions_for_user(user).can_edit()

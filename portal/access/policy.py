"""Wagtail's page permission policy, extended with the guardian grants of positions.

Wagtail decides every page permission (explorer, edit, publish, choosers, search,
reports, the API and our own front-end views) through one policy object,
`wagtail.permissions.page_permission_policy`, and that policy reads all of a user's
rights from `get_all_permissions_for_user`. We add the user's current guardian grants
there, shaped as (unsaved) GroupPagePermission records, so that all of Wagtail's own
logic — inheritance down the tree, the explorable root, "add implies edit own" —
applies to them unchanged. Wagtail has no setting to swap this policy, so `install()`
changes the class of the one shared instance at start-up.
"""

from __future__ import annotations

from django.contrib.auth import get_permission_codename, get_user_model
from django.db.models import Q
from django.utils import timezone
from wagtail.models import GroupPagePermission
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import PageUserObjectPermission


def current_grants(user=None):
    today = timezone.localdate()
    grants = PageUserObjectPermission.objects.filter(valid_from__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    if user is not None:
        grants = grants.filter(user=user)
    return grants


class UnionPagePermissionPolicy(PagePermissionPolicy):
    def get_all_permissions_for_user(self, user):
        group_permissions = super().get_all_permissions_for_user(user)
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return group_permissions
        position_permissions = [
            GroupPagePermission(page=grant.content_object, permission=grant.permission)
            for grant in current_grants(user).select_related("content_object", "permission")
        ]
        return [*group_permissions, *position_permissions]

    def instances_user_has_any_permission_for(self, user, actions):
        """Pages the user may act on, as ONE query with one branch per distinct subtree.

        Wagtail's version ORs one queryset per permission row (each row is a page and a
        codename), so a user with many rows gets a query with many redundant branches
        (Wagtail issue #14593). Rows on the same page, and pages inside another granted
        subtree, add nothing: we keep only the outermost paths.
        """
        base_queryset = self._base_queryset_for_user(user)
        if base_queryset is not None:
            return base_queryset
        add_codename = get_permission_codename("add", self.model._meta)
        codenames = self._get_permission_codenames(actions)
        own_only = "add" not in actions and "change" in actions
        full_paths, owned_paths = set(), set()
        for perm in self.get_cached_permissions_for_user(user):
            if perm.permission.codename in codenames:
                full_paths.add(perm.page.path)
            elif own_only and perm.permission.codename == add_codename:
                owned_paths.add(perm.page.path)
        full_paths = _outermost(full_paths)
        owned_paths = {p for p in _outermost(owned_paths)
                       if not any(p.startswith(f) for f in full_paths)}
        if not full_paths and not owned_paths:
            return self.model._default_manager.none()
        q = Q()
        for path in full_paths:
            q |= Q(path__startswith=path)
        for path in owned_paths:
            q |= Q(path__startswith=path, owner=user)
        return self.model._default_manager.filter(q)

    def users_with_any_permission_for_instance(self, actions, instance, include_superusers=True):
        # Used for workflow and moderation notifications: include position holders.
        by_group = super().users_with_any_permission_for_instance(
            actions, instance, include_superusers
        )
        holders = current_grants().filter(
            permission__codename__in=self._get_permission_codenames(actions),
            content_object__in=instance.get_ancestors(inclusive=True),
        ).values_list("user_id", flat=True)
        by_grant = get_user_model()._default_manager.filter(is_active=True, pk__in=holders)
        return (by_group | by_grant).distinct()


def _outermost(paths: set[str]) -> set[str]:
    """Drop every path that lies inside another path of the set."""
    kept: list[str] = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return set(kept)


def install() -> None:
    from wagtail import permissions
    from wagtail.admin.api import views as admin_api_views

    permissions.page_permission_policy.__class__ = UnionPagePermissionPolicy
    # The admin API (the explorer menu) makes a policy of its own instead of using the
    # shared one; without this a branch chair's explorer menu finds no pages at all.
    admin_api_views.PagePermissionPolicy = UnionPagePermissionPolicy

"""Who may use the admin's user views: union admins, for their own union's accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

from portal.accounts import rights


def accounts_visible_to(user):
    """The accounts `user` may list in the admin: their union's (all for superusers)."""
    model = get_user_model()
    if user is None or not user.is_authenticated or not user.is_active:
        return model._default_manager.none()
    if user.is_superuser:
        return model._default_manager.all()
    if not rights.may_manage_accounts(user) or user.union_id is None:
        return model._default_manager.none()
    return model._default_manager.filter(union_id=user.union_id)


class UnionUserPermissionPolicy(ModelPermissionPolicy):
    """Replaces the Django model permissions on the user model (which no union role holds)
    with the rules of `portal.accounts.rights`. Deleting accounts stays with superusers:
    a union admin deactivates or blocks instead, which keeps the audit trail whole."""

    def user_has_permission(self, user, action):
        if user.is_active and user.is_superuser:
            return True
        if action in ("add", "change"):
            return rights.may_manage_accounts(user)
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if user.is_active and user.is_superuser:
            return True
        if action == "change":
            return rights.may_manage_user(user, instance)
        return False

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def instances_user_has_permission_for(self, user, action):
        if action in ("add", "change") or user.is_superuser:
            return accounts_visible_to(user)
        return self.model._default_manager.none()

    def instances_user_has_any_permission_for(self, user, actions):
        if any(a in ("add", "change") for a in actions) or user.is_superuser:
            return accounts_visible_to(user)
        return self.model._default_manager.none()

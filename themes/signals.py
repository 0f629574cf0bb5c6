"""A new union's admin group gets the right to edit its own site's brand and link menu."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.union.models import Role, UnionRoleGroup


@receiver(post_save, sender=UnionRoleGroup, dispatch_uid="themes-grant-admin-settings")
def grant_admin_settings(sender, instance: UnionRoleGroup, created: bool, raw=False, **kwargs):
    if created and not raw and instance.role == Role.ADMIN:
        from .actions import grant_settings_permissions

        grant_settings_permissions(union=instance.union)

"""A new union's admin group gets the right to edit its own site's brand and link menu;
changes to the brand, the link menu and their images make the cached chrome stale."""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model

from portal.union.models import Role, Union, UnionRoleGroup

from .models import BrandSettings, LinkMenu, LinkMenuItem


@receiver(post_save, sender=UnionRoleGroup, dispatch_uid="themes-grant-admin-settings")
def grant_admin_settings(sender, instance: UnionRoleGroup, created: bool, raw=False, **kwargs):
    if created and not raw and instance.role == Role.ADMIN:
        from .actions import grant_settings_permissions

        grant_settings_permissions(union=instance.union)


def _invalidate_site(site_id) -> None:
    from portal.union.sections import invalidate

    for union_id in Union.objects.filter(site_id=site_id).values_list("pk", flat=True):
        invalidate(union_id)


@receiver(post_save, sender=BrandSettings, dispatch_uid="themes-brand-saved")
@receiver(post_delete, sender=BrandSettings, dispatch_uid="themes-brand-deleted")
@receiver(post_save, sender=LinkMenu, dispatch_uid="themes-link-menu-saved")
@receiver(post_delete, sender=LinkMenu, dispatch_uid="themes-link-menu-deleted")
def _site_setting_changed(sender, instance, **kwargs):
    # The cached chrome (themes.chrome) shows the brand and the link menu.
    _invalidate_site(instance.site_id)


@receiver(post_save, sender=LinkMenuItem, dispatch_uid="themes-link-saved")
@receiver(post_delete, sender=LinkMenuItem, dispatch_uid="themes-link-deleted")
def _link_changed(sender, instance, **kwargs):
    site_id = LinkMenu.objects.filter(pk=instance.menu_id).values_list("site_id", flat=True)
    _invalidate_site(site_id.first())


def _image_changed(sender, instance, **kwargs):
    # A replaced logo or favicon file gets new renditions: the cached URLs are stale.
    used = BrandSettings.objects.filter(Q(logo=instance.pk) | Q(favicon=instance.pk))
    for site_id in used.values_list("site_id", flat=True):
        _invalidate_site(site_id)


post_save.connect(_image_changed, sender=get_image_model(), dispatch_uid="themes-image-saved")
post_delete.connect(_image_changed, sender=get_image_model(),
                    dispatch_uid="themes-image-deleted")

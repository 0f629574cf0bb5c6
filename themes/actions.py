"""Writes to a union's brand and link menu. Admin edits go through Wagtail's settings
views (same validation via the models' clean()); code and the demo use these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import GroupSitePermission, Page

from portal.audit.log import AuditAction, record
from portal.union.models import Role, Union

from .models import BrandSettings, Font, LinkMenu, LinkMenuItem

SETTINGS_MODELS = (BrandSettings, LinkMenu)


@transaction.atomic
def grant_settings_permissions(*, union: Union, acting_user=None) -> None:
    """Let the union's admin group change its own site's brand and link menu, no other site's."""
    group = union.role_group(Role.ADMIN)
    for model in SETTINGS_MODELS:
        permission = Permission.objects.get(
            content_type=ContentType.objects.get_for_model(model),
            codename=f"change_{model._meta.model_name}",
        )
        GroupSitePermission.objects.get_or_create(
            group=group, site_id=union.site_id, permission=permission
        )
    record(actor=acting_user, union=union, action=AuditAction.GRANT,
           target=f"union:{union.slug}:settings-permissions")


@transaction.atomic
def set_brand(
    *,
    union: Union,
    acting_user,
    primary_colour: str = "",
    secondary_colour: str = "",
    font: str = Font.SYSTEM,
    logo=None,
    favicon=None,
) -> BrandSettings:
    brand = BrandSettings.for_site(union.site)
    brand.primary_colour = primary_colour
    brand.secondary_colour = secondary_colour
    brand.font = font
    brand.logo = logo
    brand.favicon = favicon
    brand.full_clean()
    brand.save()
    record(actor=acting_user, union=union, action=AuditAction.EDIT,
           target=f"union:{union.slug}:brand",
           fields=["primary_colour", "secondary_colour", "font", "logo", "favicon"])
    return brand


@transaction.atomic
def add_brand_image(*, union: Union, acting_user, title: str, file: BinaryIO, filename: str):
    """Store an image (a logo or favicon) in the union's own collection, so that only the
    union's staff and admins see it in the admin's listings and choosers."""
    image = get_image_model()(
        title=title,
        collection=union.collection(),
        file=ImageFile(file, name=filename),
        uploaded_by_user=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    image._set_image_file_metadata()  # size and hash, as Wagtail's upload form sets them
    image.save()
    record(actor=acting_user, union=union, action=AuditAction.CREATE,
           target=f"union:{union.slug}:image:{image.pk}", fields=["title", "file"])
    return image


@dataclass(frozen=True)
class Link:
    label: str
    label_sv: str = ""
    label_en: str = ""
    page: Page | None = None
    url: str = ""


@transaction.atomic
def set_link_menu(*, union: Union, acting_user, links: list[Link]) -> LinkMenu:
    """Replace the union's link menu with `links`, in that order."""
    menu = LinkMenu.for_site(union.site)
    menu.items.all().delete()
    for order, link in enumerate(links):
        item = LinkMenuItem(menu=menu, sort_order=order, label=link.label,
                            label_sv=link.label_sv, label_en=link.label_en,
                            link_page=link.page, link_url=link.url)
        item.full_clean(exclude=["menu"])
        item.save()
    record(actor=acting_user, union=union, action=AuditAction.EDIT,
           target=f"union:{union.slug}:link-menu", fields=["items"])
    return menu

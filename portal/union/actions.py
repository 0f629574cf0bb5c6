"""Writes that create and configure a union (the tenant)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)

from portal.audit.log import AuditAction, record

from .models import Role, Union, UnionPage, UnionRoleGroup

STAFF_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
    "bulk_delete_page",
)
STAFF_COLLECTION_PERMISSIONS = (
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
)
ROLE_MODEL_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.MEMBER: (),
    Role.OFFICIAL: ("wagtailadmin.access_admin",),
    Role.STAFF: ("wagtailadmin.access_admin",),
    Role.ADMIN: ("wagtailadmin.access_admin",),
}


@dataclass(frozen=True)
class UnionIndexes:
    branches: Page
    employers: Page
    agreements: Page


def ensure_locales() -> None:
    from django.conf import settings

    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


def _tree_root(locale: Locale) -> Page:
    """The page tree's root. Wagtail's migrations create it; a flushed database has none."""
    return Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale, live=True)
    )


def _collection_root() -> Collection:
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


@transaction.atomic
def create_union(
    *,
    name: str,
    slug: str,
    hostname: str,
    port: int = 80,
    default_language: str = "fi",
    primary_colour: str = "#b3001b",
    secondary_colour: str = "#ffffff",
    acting_user=None,
) -> Union:
    """Create a union: its Site, root page, index pages, collection and role groups."""
    slug = slugify(slug)
    if Union.objects.filter(slug=slug).exists():
        raise ValueError(_("A union with the slug %(slug)s already exists.") % {"slug": slug})
    if Site.objects.filter(hostname=hostname, port=port).exists():
        raise ValueError(
            _("The hostname %(host)s:%(port)s is taken.") % {"host": hostname, "port": port}
        )
    ensure_locales()
    locale = Locale.objects.get(language_code=default_language)
    tree_root = _tree_root(locale)
    root_page = tree_root.add_child(
        instance=UnionPage(title=name, slug=slug, short_name=name[:40], locale=locale)
    )
    site = Site.objects.create(
        hostname=hostname, port=port, root_page=root_page, site_name=name, is_default_site=False
    )
    union = Union.objects.create(
        name=name,
        slug=slug,
        site=site,
        root_page=root_page,
        default_language=default_language,
        primary_colour=primary_colour,
        secondary_colour=secondary_colour,
    )
    with translation.override(default_language):  # index pages are named in its language
        _create_indexes(union, root_page, locale)
    collection = _collection_root().add_child(name=name)
    _create_role_groups(union, root_page, collection)
    record(
        actor=acting_user,
        union=union,
        action=AuditAction.CREATE,
        target=f"union:{union.slug}",
    )
    return union


def _create_indexes(union: Union, root_page: UnionPage, locale: Locale) -> UnionIndexes:
    from portal.agreements.models import AgreementIndexPage
    from portal.branches.models import BranchIndexPage
    from portal.workplaces.models import EmployerIndexPage

    branches = root_page.add_child(
        instance=BranchIndexPage(title=_("Branches"), slug="branches", union=union, locale=locale)
    )
    employers = root_page.add_child(
        instance=EmployerIndexPage(
            title=_("Employers"), slug="employers", union=union, locale=locale
        )
    )
    agreements = root_page.add_child(
        instance=AgreementIndexPage(
            title=_("Collective agreements"), slug="agreements", union=union, locale=locale
        )
    )
    return UnionIndexes(branches=branches, employers=employers, agreements=agreements)


def _create_role_groups(union: Union, root_page: Page, collection: Collection) -> None:
    # Every permission the groups get, read in one query (was one query each: most of
    # a new union's queries).
    wanted = {tuple(p.split(".")) for role in Role for p in ROLE_MODEL_PERMISSIONS[role]}
    wanted |= {("wagtailcore", c) for c in STAFF_PAGE_PERMISSIONS}
    wanted |= {("wagtailimages" if c.endswith("_image") else "wagtaildocs", c)
               for c in STAFF_COLLECTION_PERMISSIONS}
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={codename for _app, codename in wanted})
        if (p.content_type.app_label, p.codename) in wanted
    }
    missing = wanted - found.keys()
    if missing:
        raise Permission.DoesNotExist(f"permissions missing: {sorted(missing)}")
    for role in Role:
        group = Group.objects.create(name=f"{union.slug}: {role.label}")
        UnionRoleGroup.objects.create(union=union, role=role, group=group)
        group.permissions.add(*[found[tuple(p.split("."))] for p in ROLE_MODEL_PERMISSIONS[role]])
        if role in (Role.STAFF, Role.ADMIN):
            GroupPagePermission.objects.bulk_create(
                GroupPagePermission(group=group, page=root_page,
                                    permission=found[("wagtailcore", c)])
                for c in STAFF_PAGE_PERMISSIONS
            )
            GroupCollectionPermission.objects.bulk_create(
                GroupCollectionPermission(
                    group=group, collection=collection,
                    permission=found[("wagtailimages" if c.endswith("_image") else "wagtaildocs",
                                      c)],
                )
                for c in STAFF_COLLECTION_PERMISSIONS
            )


def union_indexes(union: Union) -> UnionIndexes:
    from portal.agreements.models import AgreementIndexPage
    from portal.branches.models import BranchIndexPage
    from portal.workplaces.models import EmployerIndexPage

    return UnionIndexes(
        branches=BranchIndexPage.objects.for_union(union).get(),
        employers=EmployerIndexPage.objects.for_union(union).get(),
        agreements=AgreementIndexPage.objects.for_union(union).get(),
    )


@transaction.atomic
def update_union_settings(*, union: Union, values: dict, acting_user=None) -> list[str]:
    """Change the union's name, default language, contact addresses and switched-off
    features (U-3.16.10); `is_active` only from the platform operator's form. Callers
    check that `acting_user` is the union's admin (or a platform operator)."""
    from .features import switchable_features
    from .models import UnionSettings

    changed: list[str] = []
    for field in ("name", "default_language", "is_active"):
        if field in values and getattr(union, field) != values[field]:
            setattr(union, field, values[field])
            changed.append(field)
    if changed:
        union.full_clean(exclude=["site", "root_page"])
        union.save(update_fields=changed)
    union_settings = UnionSettings.for_union(union)
    for field in ("contact_email", "member_service_email", "privacy_contact_email",
                  "contact_phone"):
        if field in values and getattr(union_settings, field) != values[field]:
            setattr(union_settings, field, values[field])
            changed.append(field)
    if "features_on" in values:
        # Only the switchable features are decided here; other keys keep their state.
        switchable = {f.value for f in switchable_features()}
        kept = set(union_settings.disabled_features) - switchable
        disabled = sorted(kept | (switchable - set(values["features_on"])))
        if disabled != sorted(union_settings.disabled_features):
            union_settings.disabled_features = disabled
            changed.append("disabled_features")
    if changed or union_settings.pk is None:
        union_settings.save()
    if changed:
        record(actor=acting_user, union=union, action=AuditAction.EDIT,
               target=f"union:{union.slug}", fields=changed)
    return changed

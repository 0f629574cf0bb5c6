"""The union admin panel in the Wagtail admin: menu, URLs and the dashboard panel."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.contrib.settings.registry import SettingMenuItem

from themes.models import BrandSettings, LinkMenu

from . import scoping, urls, views
from .menu import ShownIf
from .selectors import profile_counts


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/", include(urls, namespace="adminpanel"))]


class _UnionMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return views.is_union_staff(request)


@hooks.register("register_admin_menu_item")
def register_union_menu():
    # Other apps (imports, API clients, data quality) add their entries to this menu
    # with @hooks.register("register_union_menu_item").
    menu = Menu(register_hook_name="register_union_menu_item", items=[
        ShownIf(_("Union page and offices"), reverse("adminpanel:union_page"),
                 icon_name="home", order=100, shown=views.is_union_staff),
        ShownIf(_("Board and council"), reverse("adminpanel:positions"), icon_name="group",
                 order=200, shown=views.is_union_staff),
        ShownIf(_("Collective agreements"), reverse("adminpanel:agreements"),
                 icon_name="doc-full", order=300, shown=views.is_union_staff),
        ShownIf(_("Accounts and roles"), reverse("wagtailusers_users:index"),
                 icon_name="user", order=400, shown=views.is_union_admin),
        ShownIf(_("Blacklist"), reverse("adminpanel:blacklist"), icon_name="warning",
                 order=500, shown=views.is_union_admin),
        ShownIf(_("Union settings"), reverse("adminpanel:settings"), icon_name="cogs",
                 order=600, shown=views.is_union_admin),
        # The site settings a union admin may change (GroupSitePermission on the own
        # site), here instead of in Wagtail's Settings menu (see hide_settings_menu).
        SettingMenuItem(BrandSettings, icon="view", order=610),
        SettingMenuItem(LinkMenu, icon="list-ul", order=620),
    ])
    return _UnionMenu(_("Union"), menu, icon_name="group", order=150)


@hooks.register("construct_main_menu")
def hide_settings_menu(request, menu_items):
    """One place for a union's settings: Wagtail's Settings menu held, for union users,
    only Users (= Accounts and roles), Brand and Link menu, all in the Union menu."""
    if views.managed_union(request) is not None and not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "settings"]


@hooks.register("register_admin_menu_item")
def register_platform_menu():
    return ShownIf(_("Unions"), reverse("adminpanel:unions"), icon_name="site", order=160,
                    shown=views.is_platform_operator)


class ProfilesPanel(Component):
    name = "union_profiles"
    order = 50
    template_name = "adminpanel/dashboard_panel.html"

    def __init__(self, union):
        self.union = union

    def get_context_data(self, parent_context):
        counts = profile_counts(self.union)
        return {"union": self.union, **counts.__dict__}


@hooks.register("construct_homepage_panels")
def add_profiles_panel(request, panels):
    if views.is_union_staff(request):
        panels.append(ProfilesPanel(views.managed_union(request)))


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    """The page chooser lists every page of every site by default: only the own union's."""
    return scoping.union_pages(request, pages)


@hooks.register("construct_reports_menu")
def hide_cross_union_reports(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]

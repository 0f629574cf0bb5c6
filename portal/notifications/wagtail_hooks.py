"""System messages in the admin (the Union menu for union admins, the platform's menu
for its operator) and the member profile's link to the notification settings."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.adminpanel.menu import ShownIf

from . import admin_urls
from .admin_views import is_platform_scope, is_union_scope


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/system-messages/",
                 include(admin_urls, namespace="notifications_admin"))]


@hooks.register("register_union_menu_item")
def register_union_item():
    return ShownIf(_("System messages"), reverse("notifications_admin:list"),
                   icon_name="warning", order=640, shown=is_union_scope)


@hooks.register("register_admin_menu_item")
def register_platform_item():
    return ShownIf(_("System messages"), reverse("notifications_admin:list"),
                   icon_name="warning", order=165, shown=is_platform_scope)


@hooks.register("register_profile_link")
def preferences_link(request):
    return _("Notification settings"), reverse("notifications:preferences")

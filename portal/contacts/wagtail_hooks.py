"""The people admin in the Wagtail admin: its URLs and an entry in the Union menu."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.adminpanel.menu import ShownIf
from portal.adminpanel.views import is_union_staff

from . import urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/people/", include(urls, namespace="contacts"))]


@hooks.register("register_union_menu_item")
def register_menu_item():
    return ShownIf(_("People"), reverse("contacts:list"), icon_name="group",
                   order=50, shown=is_union_staff)

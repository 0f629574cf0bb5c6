"""The API clients' pages in the union admin panel (Union menu, union admins)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.adminpanel.menu import ShownIf
from portal.adminpanel.views import is_union_admin

from . import urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/api-clients/", include(urls, namespace="api_clients"))]


@hooks.register("register_union_menu_item")
def register_menu_item():
    return ShownIf(_("API clients"), reverse("api_clients:index"), icon_name="key",
                   order=700, shown=is_union_admin)

"""The API clients' pages in the union admin panel (Union menu, union admins)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.adminpanel.views import is_union_admin

from . import urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/api-clients/", include(urls, namespace="api_clients"))]


class _ClientsMenuItem(MenuItem):
    def is_shown(self, request):
        return is_union_admin(request)


@hooks.register("register_union_menu_item")
def register_menu_item():
    return _ClientsMenuItem(_("API clients"), reverse("api_clients:index"), icon_name="key",
                            order=700)

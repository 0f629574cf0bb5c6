"""The terms screens' URLs and their entry in the admin's Union menu (staff, admins)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .admin_views import may_see


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see(request)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/terms/", include(admin_urls, namespace="terms_admin"))]


@hooks.register("register_union_menu_item")
def register_menu_item():
    return _StaffMenuItem(_("Terms of use"), reverse("terms_admin:versions"),
                          icon_name="doc-full", order=630)

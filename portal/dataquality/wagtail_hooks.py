"""The report's URLs and its entry in the admin's Union menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.adminpanel.views import is_union_staff

from . import urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/data-quality/", include(urls, namespace="dataquality"))]


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_union_staff(request)


@hooks.register("register_union_menu_item")
def register_menu_item():
    return _StaffMenuItem(_("Data quality"), reverse("dataquality:report"), icon_name="tasks",
                          order=350)

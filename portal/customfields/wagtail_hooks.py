"""The custom fields' admin URLs and their entry in the admin's Union menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.adminpanel.menu import ShownIf
from portal.adminpanel.views import is_union_staff

from . import urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/custom-fields/", include(urls, namespace="customfields"))]


@hooks.register("register_union_menu_item")
def register_menu_item():
    return ShownIf(_("Custom fields"), reverse("customfields:list"), icon_name="form",
                   order=360, shown=is_union_staff)

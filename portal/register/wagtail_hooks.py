from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.adminpanel import views as panel
from portal.adminpanel.menu import ShownIf

from . import urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/register/", include(urls, namespace="register"))]


@hooks.register("register_union_menu_item")
def flow_menu_item():
    return ShownIf(_("Member register"), reverse("register:flow"), icon_name="resubmit",
                    order=650, shown=panel.is_union_admin)


@hooks.register("register_union_menu_item")
def conflicts_menu_item():
    return ShownIf(_("Sync conflicts"), reverse("register:conflicts"), icon_name="warning",
                    order=660, shown=panel.is_union_staff)

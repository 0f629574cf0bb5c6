from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal.adminpanel import views as panel

from . import urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/register/", include(urls, namespace="register"))]


class _ShownIf(MenuItem):
    def __init__(self, *args, shown, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown = shown

    def is_shown(self, request):
        return self._shown(request)


@hooks.register("register_union_menu_item")
def flow_menu_item():
    return _ShownIf(_("Member register"), reverse("register:flow"), icon_name="resubmit",
                    order=650, shown=panel.is_union_admin)


@hooks.register("register_union_menu_item")
def conflicts_menu_item():
    return _ShownIf(_("Sync conflicts"), reverse("register:conflicts"), icon_name="warning",
                    order=660, shown=panel.is_union_staff)

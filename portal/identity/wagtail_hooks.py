"""The identity provider's page in the union admin panel (Union menu, union admins), and
the strong sign-in button's context on the sign-in page (accounts' `sign_in_options`)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.adminpanel.menu import ShownIf
from portal.adminpanel.views import is_union_admin

from . import admin_urls
from .selectors import provider_for


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/identification/", include(admin_urls, namespace="identity_admin"))]


@hooks.register("register_union_menu_item")
def register_menu_item():
    return ShownIf(_("Strong identification"), reverse("identity_admin:index"),
                   icon_name="lock", order=710, shown=is_union_admin)


@hooks.register("sign_in_options")
def strong_sign_in(request) -> dict:
    return {"strong_signin": provider_for(getattr(request, "union", None)) is not None}

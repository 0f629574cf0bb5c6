"""The DPO screens' URLs and their entries in the admin's Union menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.adminpanel.menu import ShownIf
from portal.adminpanel.views import is_union_admin
from portal.union.sections import cached_section

from . import admin_urls, selectors
from .views import is_union_dpo


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/dpo/", include(admin_urls, namespace="dpo"))]


@hooks.register("register_union_menu_item")
def register_officers_item():
    return ShownIf(_("Data protection officers"), reverse("dpo:officers"), icon_name="lock",
                   order=380, shown=is_union_admin)


@hooks.register("register_union_menu_item")
def register_review_item():
    return ShownIf(_("Audit log"), reverse("dpo:review"), icon_name="list-ul",
                   order=390, shown=is_union_dpo)


@hooks.register("register_profile_link")
def who_viewed_link(request):
    """The member's profile links to "who viewed my data" when the union enables it
    (people.selectors.profile_links)."""
    # Asked on every profile view: a cached section of the union (set_show_viewers renews it).
    if cached_section(request=request, page=None, name="dpo-show-viewers",
                      build=lambda: selectors.show_viewers(request.union)):
        return _("Who viewed my data"), reverse("dpo_own_viewers")
    return None

"""Erasure's admin URLs and the retention setting's entry in the admin's Union menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.adminpanel.menu import ShownIf
from portal.adminpanel.views import is_union_admin

from . import admin_urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/erasure/", include(admin_urls, namespace="erasure"))]


@hooks.register("register_union_menu_item")
def register_retention_item():
    return ShownIf(_("Data retention"), reverse("erasure:retention"), icon_name="time",
                   order=385, shown=is_union_admin)


@hooks.register("register_person_admin_action")
def erase_button(request, person):
    """The people admin's person page offers erasure to those who may erase this
    person (contacts renders the hook's (label, url, destructive))."""
    from .actions import ErasureRefused, check_allowed

    try:
        check_allowed(person=person, acting_user=request.user)
    except ErasureRefused:
        return None
    # The third item marks the button as destructive (red, as Wagtail's "no" buttons).
    return _("Erase the person…"), reverse("erasure:confirm", args=[person.pk]), True

"""The officials screens' URLs, and their entry on each branch, employer and workplace
page of the admin: in the page's header menu (explorer and editor) and in the "more"
menu of each page row in the explorer."""

from __future__ import annotations

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from portal.access.roles import is_staff

from . import urls
from .selectors import has_officials


@hooks.register("register_admin_urls")
def register_urls():
    return [path("union-admin/officials/", include(urls, namespace="officials"))]


class OfficialsButton(PageMenuItem):
    label = _("Officials")
    icon_name = "group"
    url_name = "officials:page"

    def is_shown(self, user):
        # The hook gets no request: the user's own union's staff, on its own pages (the
        # path is the tree's: no query per row). The view checks the hostname again.
        union = getattr(user, "union", None)
        return (union is not None and has_officials(self.page) and is_staff(user, union)
                and self.page.path.startswith(union.root_page.path))


@hooks.register("register_page_header_buttons")
def page_header_button(page, user, view_name, next_url=None):
    yield OfficialsButton(page=page, priority=12)


@hooks.register("register_page_listing_more_buttons")
def page_listing_button(page, user, next_url=None):
    yield OfficialsButton(page=page, priority=5)

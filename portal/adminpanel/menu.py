"""A menu item of the admin that shows only to whom a check lets through: the Union
menu's entries (the panel's own and those other apps add through the
`register_union_menu_item` hook) and the platform's Unions entry."""

from __future__ import annotations

from wagtail.admin.menu import MenuItem


class ShownIf(MenuItem):
    """`shown` is a check of the request (`views.is_union_staff`, `is_union_admin`...)."""

    def __init__(self, *args, shown, **kwargs):
        super().__init__(*args, **kwargs)
        self._shown = shown

    def is_shown(self, request):
        return self._shown(request)

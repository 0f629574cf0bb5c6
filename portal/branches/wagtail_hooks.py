"""Admin integration: a "Send to members" button on bulletins, leading to the same
audience/preview/send view the front end uses (one code path, one permission check)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button, HeaderButton

from .models import BulletinPage


def _send_links(page, user) -> list[tuple[str, str]]:
    if page.specific_class is not BulletinPage:
        return []
    if not page.permissions_for_user(user).can_publish():
        return []
    site = page.get_site()
    root = site.root_url if site is not None else ""
    from portal.messaging.models import BulletinSend

    if BulletinSend.objects.filter(bulletin_id=page.pk).exists():
        return [(str(_("Sending report")), root + reverse("bulletins:report", args=[page.pk]))]
    return [(str(_("Send to members")), root + reverse("bulletins:send", args=[page.pk]))]


@hooks.register("register_page_listing_more_buttons")
def bulletin_listing_buttons(page, user, next_url=None):
    for label, url in _send_links(page, user):
        yield Button(label, url=url, icon_name="mail", priority=35)


@hooks.register("register_page_header_buttons")
def bulletin_header_buttons(page, user, view_name, next_url=None):
    for label, url in _send_links(page, user):
        yield HeaderButton(label, url=url, icon_name="mail", priority=35)

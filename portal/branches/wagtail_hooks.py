"""Admin integration: "Send to members", "Sending report" and "Cancel sending" buttons on
bulletins, leading to the same views the front end uses (one code path, one permission
check: `messaging.rules`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button, HeaderButton

from .models import BulletinPage


def _send_links(page, user) -> list[tuple[str, str, str]]:
    """(label, url, icon) of the sending buttons `user` may use on `page`."""
    if page.specific_class is not BulletinPage:
        return []
    from portal.messaging.models import BulletinSend
    from portal.messaging.rules import can_cancel

    # The publish right: who may send (the send view also asks for approval where the
    # branch requires it) and cancel (messaging.rules.cancel_refusal).
    if not page.permissions_for_user(user).can_publish():
        return []
    site = page.get_site()
    root = site.root_url if site is not None else ""
    send = BulletinSend.objects.filter(bulletin_id=page.pk).first()
    links = []
    if send is None or send.may_send_again:
        links.append((str(_("Send to members")), root + reverse("bulletins:send", args=[page.pk]),
                      "mail"))
    if send is not None:
        links.append((str(_("Sending report")),
                      root + reverse("bulletins:report", args=[page.pk]), "mail"))
    if send is not None and send.cancellable and can_cancel(page, user):
        # A link to the confirmation page, which cancels by a CSRF-protected POST.
        links.append((str(_("Cancel sending")),
                      root + reverse("bulletins:cancel", args=[page.pk]), "cross"))
    return links


@hooks.register("register_page_listing_more_buttons")
def bulletin_listing_buttons(page, user, next_url=None):
    for label, url, icon in _send_links(page, user):
        yield Button(label, url=url, icon_name=icon, priority=35)


@hooks.register("register_page_header_buttons")
def bulletin_header_buttons(page, user, view_name, next_url=None):
    for label, url, icon in _send_links(page, user):
        yield HeaderButton(label, url=url, icon_name=icon, priority=35)

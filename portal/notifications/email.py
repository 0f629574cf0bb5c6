"""Notification emails: one notification at once, or a person's daily digest. Sent as
bulletins are (portal/messaging/email.py): the project's mail connection, a text and an
HTML part, and a signed one-click unsubscribe link (RFC 8058) for the kind."""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portal.messaging.email import BulletinEmail

from .kinds import label

UNSUBSCRIBE_SALT = "portal.notifications.unsubscribe"
DIGEST_LIMIT = 50  # items listed in one digest; the rest are in the activity stream


def unsubscribe_token(*, union_id: int, person_id: int, kind: str) -> str:
    return signing.dumps([union_id, person_id, kind], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int, str]:
    union_id, person_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(union_id), int(person_id), str(kind)


def absolute(url: str, root_url: str) -> str:
    return root_url + url if url.startswith("/") and not url.startswith("//") else url


@dataclass
class Item:
    kind: str
    kind_label: str
    title: str
    url: str
    occurs_at: object


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    unsubscribe: str


def _links(union, person, root_url: str, kind: str) -> dict:
    token = unsubscribe_token(union_id=union.pk, person_id=person.pk, kind=kind)
    return {"unsubscribe_url": root_url + reverse("notifications:unsubscribe", args=[token]),
            "preferences_url": root_url + reverse("notifications:preferences"),
            "activity_url": root_url + reverse("activity:timeline")}


def language_of(person, union) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return person.preferred_language if person.preferred_language in codes \
        else union.default_language


def render_one(event, *, person, union, root_url: str) -> Rendered:
    with translation.override(language_of(person, union)):
        title = event.shown_title  # in the person's language (notify's title_params)
        context = {"union": union, "item": Item(event.kind, label(event.kind), title,
                                                absolute(event.url, root_url), event.occurs_at),
                   **_links(union, person, root_url, event.kind)}
        return Rendered(subject=f"{union.name}: {title}",
                        text=render_to_string("notifications/email/one.txt", context),
                        html=render_to_string("notifications/email/one.html", context),
                        unsubscribe=context["unsubscribe_url"])


def render_digest(events: list, *, person, union, root_url: str) -> Rendered:
    from .actions import DIGEST

    with translation.override(language_of(person, union)):
        items = [Item(e.kind, label(e.kind), e.shown_title, absolute(e.url, root_url),
                      e.occurs_at)
                 for e in events[:DIGEST_LIMIT]]
        kinds = sorted({e.kind for e in events})
        context = {"union": union, "items": items, "more": max(len(events) - DIGEST_LIMIT, 0),
                   "count": len(events),
                   "kinds": [(label(kind), _links(union, person, root_url, kind)["unsubscribe_url"])
                             for kind in kinds],
                   **_links(union, person, root_url, DIGEST)}
        subject = translation.ngettext(
            "%(union)s: %(count)d new notification", "%(union)s: %(count)d new notifications",
            len(events)) % {"union": union.name, "count": len(events)}
        return Rendered(subject=subject,
                        text=render_to_string("notifications/email/digest.txt", context),
                        html=render_to_string("notifications/email/digest.html", context),
                        unsubscribe=context["unsubscribe_url"])


def build_message(rendered: Rendered, *, to: str, list_id: str, connection) -> BulletinEmail:
    domain = list_id.split(".", 1)[-1] or "localhost"
    message = BulletinEmail(
        subject=rendered.subject, body=rendered.text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to], connection=connection,
        headers={
            "Message-ID": make_msgid(idstring="n", domain=domain),
            "List-Id": f"<{list_id}>",
            # RFC 2369 and RFC 8058: mail clients offer one-click unsubscribe.
            "List-Unsubscribe": f"<{rendered.unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        })
    message.attach_alternative(rendered.html, "text/html")
    return message

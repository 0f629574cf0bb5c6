"""Rendering a bulletin as an email, once per language, and one message per recipient."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.rich_text import expand_db_html

from portal.branches.models import BulletinPage
from portal.union.richtext import rendering_for

from .plaintext import html_to_text

UNSUBSCRIBE_SALT = "portal.messaging.unsubscribe"
# Replaced per recipient, so the templates render once per language, not per message.
UNSUBSCRIBE_PLACEHOLDER = "__UNSUBSCRIBE_URL__"


@dataclass(frozen=True)
class RenderedBulletin:
    language: str
    subject: str
    html: str
    text: str
    url: str


def versions_of(bulletin: BulletinPage) -> dict[str, BulletinPage]:
    """Live translations of the bulletin by language code; the original is always there
    under its own language (and is the fall-back for every other)."""
    versions = {
        page.locale.language_code: page
        for page in BulletinPage.objects.filter(translation_key=bulletin.translation_key)
        .live().select_related("locale")
    }
    versions[bulletin.locale.language_code] = bulletin
    return versions


def _absolute_links(html: str, root_url: str) -> str:
    return re.sub(r'href="/(?!/)', f'href="{root_url}/', html)


def render_bulletin(page: BulletinPage, *, root_url: str, language: str) -> RenderedBulletin:
    branch = page.get_parent().specific
    url = page.get_full_url() or root_url
    # The body was sanitised with nh3 when saved (BulletinPage.full_clean); expanding it
    # is what Wagtail's |richtext filter does, with links made absolute for email.
    # Outside a request (the task worker): links resolve in the bulletin's union only.
    with rendering_for(page.union):
        body = _absolute_links(expand_db_html(page.body), root_url)
    with translation.override(language):
        context = {
            "page": page,
            "branch": branch,
            "union": page.union,
            "body": mark_safe(body),  # noqa: S308
            "url": url,
            "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        }
        html = render_to_string("messaging/bulletin_email.html", context)
        # Paragraphs apart, link addresses shown (plaintext.py).
        context["body"] = html_to_text(body)
        text = render_to_string("messaging/bulletin_email.txt", context)
    return RenderedBulletin(language=language, subject=f"{branch.title}: {page.title}",
                            html=html, text=text, url=url)


def unsubscribe_token(*, union_id: int, person_id: int, delivery_id: int | None) -> str:
    return signing.dumps([union_id, person_id, delivery_id], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int, int | None]:
    union_id, person_id, delivery_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(union_id), int(person_id), delivery_id


def unsubscribe_url(root_url: str, token: str) -> str:
    return root_url + reverse("messaging:unsubscribe", args=[token])


class BulletinEmail(EmailMultiAlternatives):
    """Sets the MIME boundary itself: the standard library would otherwise compile a
    fresh regular expression per message to choose one (a third of the CPU time)."""

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        if msg.is_multipart():
            msg.set_boundary(f"==bulletin-{uuid.uuid4().hex}==")
        return msg


def build_message(
    rendered: RenderedBulletin, *, to: str, unsubscribe: str, list_id: str, connection,
    delivery_id: int,
) -> BulletinEmail:
    domain = list_id.split(".", 1)[-1] or "localhost"
    message = BulletinEmail(
        subject=rendered.subject,
        body=rendered.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
        headers={
            "Message-ID": make_msgid(idstring=f"d{delivery_id}", domain=domain),
            "List-Id": f"<{list_id}>",
            # RFC 2369 and RFC 8058: mail clients offer one-click unsubscribe.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe),
                               "text/html")
    return message

"""The account emails: a password reset link and an invitation to set a password.

Sent by a task (`tasks.send_account_email_task`, enqueued by the actions after commit),
so no web request waits for, or times, the mail server. Each email is plain text with
an HTML alternative, in the person's language (see `language_for`), and its link points
to their union's own site (`Site.root_url` of the union: never the request's Host
header, which a visitor controls).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _

from .models import User
from .selectors import may_set_a_password_here
from .tokens import invitation_token_generator, password_reset_token_generator

PASSWORD_RESET = "password_reset"  # noqa: S105 (the name of an email kind)
INVITATION = "invitation"


@dataclass(frozen=True)
class _Kind:
    url_name: str
    token_generator: PasswordResetTokenGenerator
    timeout_setting: str
    subject: str


KINDS = {
    PASSWORD_RESET: _Kind(
        url_name="accounts:password_reset_confirm",
        token_generator=password_reset_token_generator,
        timeout_setting="PASSWORD_RESET_TIMEOUT",
        subject=_("Set a new password for %(site)s"),
    ),
    INVITATION: _Kind(
        url_name="accounts:invitation",
        token_generator=invitation_token_generator,
        timeout_setting="ACCOUNT_INVITATION_TIMEOUT",
        subject=_("You have an account on %(site)s: set your password"),
    ),
}


def language_for(user: User) -> str:
    """The language of the user's emails: the one they chose for themself (the admin
    language of their Wagtail account settings, when set), else their union's default
    language, else the platform's (LANGUAGE_CODE)."""
    codes = {code for code, _name in settings.LANGUAGES}
    try:
        chosen = user.wagtail_userprofile.preferred_language
    except ObjectDoesNotExist:
        chosen = ""
    if chosen in codes:
        return chosen
    if user.union is not None and user.union.default_language in codes:
        return user.union.default_language
    return settings.LANGUAGE_CODE


def site_root_url(user: User) -> str:
    """Where the user's links point: their union's site; for a platform operator (no
    union) the admin's base URL (WAGTAILADMIN_BASE_URL)."""
    if user.union is not None:
        return user.union.site.root_url
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def build_message(user: User, kind: str) -> EmailMultiAlternatives:
    spec = KINDS[kind]
    root = site_root_url(user)
    link = root + reverse(spec.url_name, kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": spec.token_generator.make_token(user),
    })
    language = language_for(user)
    with translation.override(language):
        now = timezone.now()
        site_name = user.union.name if user.union is not None else _("Digital union")
        context = {
            "user": user,
            "email": user.email,
            "site_name": site_name,
            "link": link,
            "login_url": root + reverse("accounts:login"),
            "reset_url": root + reverse("accounts:password_reset"),
            "valid_for": timeuntil(
                now + dt.timedelta(seconds=getattr(settings, spec.timeout_setting)), now,
                depth=1,
            ),
            "language": language,
        }
        subject = str(spec.subject) % {"site": site_name}
        text = render_to_string(f"accounts/email/{kind}.txt", context)
        html = render_to_string(f"accounts/email/{kind}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def deliver(user_id: int, kind: str) -> bool:
    """Send one account email now. The rules are checked again at sending time: an
    account blocked or deactivated since the request gets nothing."""
    user = User.objects.select_related("union__site").filter(pk=user_id).first()
    if user is None or kind not in KINDS:
        return False
    union = user.union
    if union is not None and not union.is_active:
        return False
    if not may_set_a_password_here(user, union, invited=(kind == INVITATION)):
        return False
    build_message(user, kind).send()
    return True

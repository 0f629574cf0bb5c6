"""Sending SMS: provider adapters and the per-user and per-union limits.

STEPUP_SMS_BACKEND names the adapter: `HttpApiBackend` (production: POST JSON
{"to", "text"} with `Authorization: Bearer SMS_API_TOKEN` to SMS_API_URL) or
`ConsoleBackend` (development and the demo: the message is written to the server's log).
`send_sms` is the one way in: it refuses, with a reason the user can read, past
STEPUP_SMS_PER_USER messages per account in STEPUP_SMS_USER_WINDOW_MINUTES or
STEPUP_SMS_PER_UNION_HOUR per union in an hour, and logs each message sent (`SmsSent`).
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import SmsSent

logger = logging.getLogger(__name__)


class SmsRefused(Exception):
    """Not sent; the message says why, for the user."""


class ConsoleBackend:
    """Writes the message to standard output (the demo's server log)."""

    def send(self, *, to: str, text: str) -> None:
        sys.stdout.write(f"SMS to {to}: {text}\n")
        sys.stdout.flush()


class HttpApiBackend:
    """An SMS gateway's HTTP API: one JSON POST per message, a bearer token."""

    def send(self, *, to: str, text: str) -> None:
        request = urllib.request.Request(  # noqa: S310 (the URL is the operator's setting)
            settings.SMS_API_URL,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={"Content-Type": "application/json",
                     "Authorization": f"Bearer {settings.SMS_API_TOKEN}"},
            method="POST")
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_API_TIMEOUT) as response:  # noqa: S310
                response.read()
        except (urllib.error.URLError, OSError) as error:
            logger.warning("SMS gateway refused or unreachable: %s", error)
            raise SmsRefused(_("The text message could not be sent. Try again in a moment."))\
                from error


def backend():
    return import_string(settings.STEPUP_SMS_BACKEND)()


def rate_refusal(*, user, union, code_pending: bool = True) -> str | None:
    """Why another SMS may not go now, or None. `code_pending`: whether the user still
    has a valid code to type (else "use the last code" would point at nothing)."""
    now = timezone.now()
    window = settings.STEPUP_SMS_USER_WINDOW_MINUTES
    per_user = SmsSent.objects.filter(
        user=user, sent_at__gt=now - timedelta(minutes=window)).count()
    if per_user >= settings.STEPUP_SMS_PER_USER and not code_pending:
        return ngettext(
            "You have been sent %(count)d code in the last %(minutes)d minutes, the most "
            "allowed. Try again in a while.",
            "You have been sent %(count)d codes in the last %(minutes)d minutes, the most "
            "allowed. Try again in a while.", per_user,
        ) % {"count": per_user, "minutes": window}
    if per_user >= settings.STEPUP_SMS_PER_USER:
        return ngettext(
            "You have been sent %(count)d code in the last %(minutes)d minutes, the most "
            "allowed. Use the last code or try again later.",
            "You have been sent %(count)d codes in the last %(minutes)d minutes, the most "
            "allowed. Use the last code or try again later.", per_user,
        ) % {"count": per_user, "minutes": window}
    per_union = SmsSent.objects.for_union(union).filter(
        sent_at__gt=now - timedelta(hours=1)).count()
    if per_union >= settings.STEPUP_SMS_PER_UNION_HOUR:
        return _("Your union has sent as many codes this hour as it may. Try again later "
                 "or contact the union office.")
    return None


def send_sms(*, user, union, to: str, text: str, code_pending: bool = True) -> None:
    refusal = rate_refusal(user=user, union=union, code_pending=code_pending)
    if refusal:
        raise SmsRefused(refusal)
    backend().send(to=to, text=text)
    SmsSent.objects.create(union=union, user=user)

"""Where the email provider reports bounces and complaints: django-anymail's webhooks.

`/anymail/<esp>/tracking/` (e.g. `/anymail/postmark/tracking/`) on any hostname the
portal answers on: the webhook belongs to the platform, not to a union, and the
receiver (`signals.py`) finds the one delivery the provider's message id names. The
provider authenticates with HTTP basic auth, `ANYMAIL_WEBHOOK_SECRET` ("user:password",
set in the provider's webhook URL as https://user:password@host/anymail/...). Without a
secret the webhooks are not mounted at all: anymail would accept anyone's POST.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import include, path


def webhook_urlpatterns() -> list:
    """Permission: the provider, by the basic-auth webhook secret (checked by anymail;
    a request without it is refused with 400)."""
    if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        return []
    return [path("anymail/", include("anymail.urls"))]

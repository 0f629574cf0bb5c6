"""Accounts in the Wagtail admin: avatars drawn from the account's initials.

Gravatar is off (WAGTAIL_GRAVATAR_PROVIDER_URL = None: it would send a hash of each
address to an outside service), so without this hook Wagtail shows the same grey
silhouette for everyone. The initials are an inline SVG (a data: URL, which the
Content-Security-Policy's img-src allows): no request, nothing leaves the site.
"""

from __future__ import annotations

import base64
import hashlib

from django.utils.html import escape
from wagtail import hooks

# Background colours with white text at a contrast of at least 4.5:1.
_COLOURS = ("#1f5f8b", "#7a3e9d", "#2e6b3a", "#9b3d1e", "#4a5568", "#8a2c55", "#0f6e6e")


def initials_of(user) -> str:
    first = (getattr(user, "first_name", "") or "").strip()
    last = (getattr(user, "last_name", "") or "").strip()
    letters = (first[:1] + last[:1]) or (getattr(user, "email", "") or "?")[:1]
    return letters.upper()


def initials_avatar(user, size: int = 50) -> str:
    """A data: URL of a round avatar with the user's initials."""
    initials = escape(initials_of(user))
    seed = hashlib.blake2s(str(getattr(user, "pk", "")).encode(), digest_size=1).digest()[0]
    colour = _COLOURS[seed % len(_COLOURS)]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 100 100"><circle cx="50" cy="50" r="50" fill="{colour}"/>'
        f'<text x="50" y="50" dy=".35em" text-anchor="middle" fill="#fff" '
        f'font-family="sans-serif" font-size="40" font-weight="600">{initials}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@hooks.register("get_avatar_url")
def avatar_from_initials(user, size):
    # An avatar the user uploaded in their admin account wins.
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    return initials_avatar(user, size)

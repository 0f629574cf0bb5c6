"""The terms gate (U-3.1.3): a signed-in account of a union that has published terms,
which has not accepted the current version, gets only the acceptance page. It runs
after TenantUserMiddleware, so `request.user` is an account of this site's union (or
anonymous). What stays open: static and media files, the terms' own pages, sign-out,
the language switch, the theme's CSS, the register API (its clients are not people)
and the admin's own assets. Costs no query on most requests (selectors.current_version
is cached; an acceptance is remembered in the session)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .selectors import SESSION_KEY, accepted_current, current_version


@cache
def open_prefixes() -> tuple[str, ...]:
    return (
        settings.STATIC_URL, settings.MEDIA_URL, "/favicon.ico",
        "/api/", "/admin/jsi18n/", "/admin/sprite-",
        reverse("terms:current"), reverse("terms:accept"),
        reverse("accounts:logout"), reverse("set_language"), reverse("theme_css"),
        *getattr(settings, "TERMS_GATE_OPEN_PATHS", ()),
    )


class TermsGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        union = getattr(request, "union", None)
        request.terms_acceptance = None
        if user.is_authenticated and union is not None and user.union_id == union.pk:
            version = current_version(union)
            if version is not None:
                if accepted_current(request, version):
                    request.terms_acceptance = _shown(request.session[SESSION_KEY])
                elif not request.path.startswith(open_prefixes()):
                    query = ""
                    if request.method in ("GET", "HEAD"):
                        query = "?" + urlencode({"next": request.get_full_path()})
                    return redirect(reverse("terms:accept") + query)
        return self.get_response(request)


def _shown(seen: dict) -> dict:
    """What the own profile shows of the acceptance (no query there)."""
    return {"number": seen["number"], "accepted_at": datetime.fromisoformat(seen["at"])}

"""Demanding a fresh second step before a sensitive action.

Fresh means `request.session["stepup_at"]` (epoch seconds, set by the step-up page)
is at most STEPUP_MAX_AGE seconds old. The check reads the session the
authentication middleware has already loaded: no query. Otherwise the user is sent to
the step-up page with a local `next`: for GET the page itself; for a POST the form it
came from (the Referer, when it is a local URL of this host), never the POST replayed.
"""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .actions import SESSION_KEY


def step_is_fresh(request) -> bool:
    if not settings.STEPUP_ENFORCED:
        return True
    at = request.session.get(SESSION_KEY)
    return isinstance(at, int) and 0 <= time.time() - at <= settings.STEPUP_MAX_AGE


def safe_next(request, url: str | None) -> str | None:
    """`url` as a local path (with query) when it points at this host, else None."""
    if not url or not url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return None
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def stepup_redirect(request, next_url: str | None = None):
    """To the step-up page, and from there back to `next_url` (default: this page for
    GET, the form the POST came from)."""
    if next_url is None:
        if request.method in ("GET", "HEAD"):
            next_url = request.get_full_path()
        else:
            next_url = safe_next(request, request.headers.get("referer")) or request.path
    return redirect(reverse("stepup:page") + "?" + urlencode({"next": next_url}))


def second_step_required(view):
    """For function views: every request needs a fresh second step (signed-out users
    pass through to the view's own sign-in check)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not step_is_fresh(request):
            return stepup_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


class SecondStepRequiredMixin:
    """For class-based views; put it first. `second_step_methods` limits the demand to
    some methods (e.g. ("POST",): looking is free, changing needs the step). A view
    with an `allowed(request)` permission check (the admin panel's) answers its own
    refusal first, so nobody without the right is sent to the step-up page."""

    second_step_methods: tuple[str, ...] | None = None

    def dispatch(self, request, *args, **kwargs):
        if (request.user.is_authenticated
                and (self.second_step_methods is None
                     or request.method in self.second_step_methods)
                and not step_is_fresh(request)):
            allowed = getattr(self, "allowed", None)
            if allowed is None or allowed(request):
                return stepup_redirect(request)
        return super().dispatch(request, *args, **kwargs)

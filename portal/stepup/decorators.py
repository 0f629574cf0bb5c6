"""Demanding a fresh second step before a sensitive action.

Fresh means `request.session["stepup_at"]` (epoch seconds, set by the step-up page)
is at most STEPUP_MAX_AGE seconds old. The check reads the session the
authentication middleware has already loaded: no query. Otherwise the user is sent to
the step-up page with a local `next`: for GET the page itself; for a POST the form it
came from (the Referer, when it is a local URL of this host).

A POST is never replayed by itself. What was typed is kept instead: the posted fields
(no files, no CSRF token, at most 16 KB) go into the user's own session under a random
token, `next` carries `resume=<token>`, and the form's view reads them back once
(`resumed_post`) to show the form filled in again; the user looks and sends it again
with the fresh step. The session is the server's, of this user only, and expires
with it; a token is read once and only by the view the POST was sent to.
"""

from __future__ import annotations

import secrets
import time
from functools import wraps
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.http import QueryDict
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


RESUME_KEY = "stepup_resume"
RESUME_PARAM = "resume"
_RESUME_MAX_BYTES = 16_000
_RESUME_KEPT = 5  # the latest few per session: a user may start several forms


def _keep_post(request) -> str | None:
    """The POST's fields in the session under a new token (None when too big)."""
    fields = [(name, value) for name, values in request.POST.lists()
              if name != "csrfmiddlewaretoken" and "password" not in name.lower()
              for value in values]
    if sum(len(name) + len(value) for name, value in fields) > _RESUME_MAX_BYTES:
        return None
    token = secrets.token_urlsafe(12)
    kept = dict(list(request.session.get(RESUME_KEY, {}).items())[-(_RESUME_KEPT - 1):])
    kept[token] = {"path": request.path, "fields": fields, "at": int(time.time())}
    request.session[RESUME_KEY] = kept
    return token


def _with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    return parts.path + "?" + urlencode([*query, (name, value)])


def resumed_post(request, path: str | None = None) -> QueryDict | None:
    """The fields of a POST kept by `stepup_redirect` for this request's `?resume=`
    token, once (the token is dropped), when that POST was sent to `path` (default:
    this request's path) within the step's lifetime; else None."""
    token = request.GET.get(RESUME_PARAM)
    kept = request.session.get(RESUME_KEY) or {}
    entry = kept.get(token) if token else None
    if entry is None:
        return None
    del kept[token]
    request.session[RESUME_KEY] = kept
    if entry.get("path") != (path or request.path) or \
            time.time() - entry.get("at", 0) > 2 * settings.STEPUP_MAX_AGE:
        return None
    data = QueryDict(mutable=True)
    for name, value in entry["fields"]:
        data.appendlist(name, value)
    return data


def stepup_redirect(request, next_url: str | None = None, *, keep_post: bool = False):
    """To the step-up page, and from there back to `next_url` (default: this page for
    GET, the form the POST came from). With `keep_post` (views that read it back) a
    POST's fields are kept for the form to show again (`resumed_post`)."""
    if next_url is None:
        if request.method in ("GET", "HEAD"):
            next_url = request.get_full_path()
        else:
            next_url = safe_next(request, request.headers.get("referer")) or request.path
    if keep_post and request.method == "POST":
        token = _keep_post(request)
        if token:
            next_url = _with_param(next_url, RESUME_PARAM, token)
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
    # True for views that show a POST's fields again after the step (`resumed_post`).
    second_step_keeps_post = False

    def dispatch(self, request, *args, **kwargs):
        if (request.user.is_authenticated
                and (self.second_step_methods is None
                     or request.method in self.second_step_methods)
                and not step_is_fresh(request)):
            allowed = getattr(self, "allowed", None)
            if allowed is None or allowed(request):
                return stepup_redirect(request, keep_post=self.second_step_keeps_post)
        return super().dispatch(request, *args, **kwargs)

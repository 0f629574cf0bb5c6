"""Pacing of the public account forms: sign-in, password reset, invitation/set password.

Sign-in goes through django-axes (AxesStandaloneBackend first in AUTHENTICATION_BACKENDS,
AxesMiddleware, the cache handler on the shared `pacing` cache). Axes keys its counters
by "username" and "IP address"; here both carry the union of the site, so failures on
union A's site never lock anyone out of union B's:

    account: "<union id>|<email, lower case>"     address: "<union id>|<client IP>"

("-" instead of an id on the platform's own hostname). SIGNIN_FAILURE_LIMIT failures of
either key within SIGNIN_LOCKOUT_MINUTES lock it for SIGNIN_LOCKOUT_MINUTES after the
last attempt (an attempt during the lock starts the wait again). The lock is the same
whether or not an account has the address, so it tells nobody which addresses exist.

The other forms have no password to fail, so they count what an attacker would repeat
(`hit`): reset requests per address and per email, invalid links and refused new
passwords per address; the same limit and wait, separate counters per form.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from axes.helpers import get_cache, make_cache_key_list
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import ngettext

# The kinds of `hit` counters (one namespace each, so a reset request never counts
# against sign-in).
RESET = "reset"
SET_PASSWORD = "set-password"  # noqa: S105 (a form kind, not a password)


def cool_off(request=None) -> timedelta:
    return timedelta(minutes=settings.SIGNIN_LOCKOUT_MINUTES)


def _union_key(request) -> str:
    union = getattr(request, "union", None)
    return str(union.pk) if union is not None else "-"


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the header a trusted reverse proxy sets
    (PACING_CLIENT_IP_HEADER, e.g. HTTP_X_REAL_IP), prefixed with the site's union."""
    meta = settings.PACING_CLIENT_IP_HEADER or "REMOTE_ADDR"
    address = (request.META.get(meta) or request.META.get("REMOTE_ADDR") or "").split(",")[0]
    return f"{_union_key(request)}|{address.strip()}"


def account_key(request, credentials: dict | None) -> str | None:
    """Axes' "username": the email typed, in the site's union."""
    email = (credentials or {}).get("username") or (credentials or {}).get("email")
    if email is None and request is not None:
        email = request.POST.get("username")
    if not email:
        return None
    return f"{_union_key(request)}|{email.strip().lower()}"


def wait_message(request=None) -> str:
    minutes = int(cool_off(request).total_seconds() // 60)
    return ngettext(
        "Too many attempts. Wait %(minutes)d minute and try again; every attempt "
        "before that starts the wait again.",
        "Too many attempts. Wait %(minutes)d minutes and try again; every attempt "
        "before that starts the wait again.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, with the wait in words, status 429 (AXES_LOCKOUT_CALLABLE)."""
    email = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": email})
    return render(request, "accounts/login.html",
                  {"form": form, "locked_message": wait_message(request),
                   "next": request.POST.get("next", "")},
                  status=settings.AXES_HTTP_RESPONSE_CODE)


def signin_failures(*, account: str = "", address: str = "") -> int:
    """The failure count of an axes key ("<union id>|<email>" or "<union id>|<IP>"),
    through axes' own key derivation."""
    parameter = {"username": account} if account else {"ip_address": address}
    return get_cache().get(make_cache_key_list([parameter])[0], 0)


def _hit_key(kind: str, what: str) -> str:
    digest = hashlib.sha256(what.encode()).hexdigest()
    return f"pace-{kind}-{digest}"


def _hit_keys(request, kind: str, email: str | None) -> list[tuple[str, str]]:
    keys = [("address", client_ip(request))]
    if email:
        keys.append(("account", f"{_union_key(request)}|{email.strip().lower()}"))
    return keys


def is_paced(request, kind: str, email: str | None = None) -> bool:
    cache = get_cache()
    return any(cache.get(_hit_key(kind, what), 0) >= settings.SIGNIN_FAILURE_LIMIT
               for _, what in _hit_keys(request, kind, email))


def hit(request, kind: str, email: str | None = None) -> bool:
    """Counts one use of a paced form; True when this use reached the limit (the form
    is then paced). The wait restarts with every use, as for sign-in."""
    from .actions import record_lockout

    cache = get_cache()
    timeout = int(cool_off(request).total_seconds())
    reached = False
    for name, what in _hit_keys(request, kind, email):
        key = _hit_key(kind, what)
        if cache.add(key, 1, timeout=timeout):
            count = 1
        else:
            count = cache.incr(key)
            cache.touch(key, timeout=timeout)
        if count == settings.SIGNIN_FAILURE_LIMIT:
            record_lockout(union=getattr(request, "union", None), kind=kind, key=name,
                           value=what.split("|", 1)[1])
        reached = reached or count >= settings.SIGNIN_FAILURE_LIMIT
    return reached


def paced_response(request, template: str, context: dict):
    context = {**context, "locked_message": wait_message(request)}
    return render(request, template, context, status=settings.AXES_HTTP_RESPONSE_CODE)


def audit_signin_lockout(sender, request, username=None, ip_address=None, **kwargs):
    """axes.signals.user_locked_out: fires on every refused attempt during a lock; an
    audit entry is written once, when the account's or the address's count has just
    reached the limit."""
    from .actions import record_lockout

    union = getattr(request, "union", None)
    for key, value in (("account", username), ("address", ip_address)):
        if not value:
            continue
        count = signin_failures(**{key: value})
        if count == settings.SIGNIN_FAILURE_LIMIT:
            record_lockout(union=union, kind="signin", key=key, value=value.split("|", 1)[1])


def create_cache_table(**kwargs):
    """post_migrate: the `pacing` cache is a database table (shared by every process);
    `createcachetable` makes it when missing, so `migrate` is all a deployment runs."""
    from django.core.management import call_command

    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)

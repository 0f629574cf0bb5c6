"""How the signed-in user signed in, kept in the session (the identity contract, issue 16):
`auth_method` is `password`, `oidc` or `passkey`; `auth_level` the assurance level of a
strong identification (`substantial`/`high`), empty otherwise. Whoever signs a user in
sets `request.auth_method`/`request.auth_level` before `login()`; a sign-in that says
nothing (the password form) counts as a password."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in

AUTH_METHOD = "auth_method"
AUTH_LEVEL = "auth_level"


def set_auth(request, *, method: str, level: str = "") -> None:
    request.session[AUTH_METHOD] = method
    request.session[AUTH_LEVEL] = level


def auth_of(request) -> tuple[str, str]:
    session = getattr(request, "session", None) or {}
    return session.get(AUTH_METHOD, ""), session.get(AUTH_LEVEL, "")


def _record_method(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        set_auth(request, method=getattr(request, "auth_method", "password"),
                 level=getattr(request, "auth_level", ""))


user_logged_in.connect(_record_method, dispatch_uid="accounts.sessions.record_method")

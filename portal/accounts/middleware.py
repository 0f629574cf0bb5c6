import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

# Session key holding when the signed-in session was last extended (Unix seconds).
LAST_EXTENDED = "_portal_extended_at"


class BlockedUserMiddleware:
    """Ends a session whose account can no longer be used (blocked or deactivated).

    The authentication backend already resolves such a session to an anonymous user;
    this flushes the session itself so it is gone, not merely ignored. Runs after
    AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session and not request.user.is_authenticated:
            logout(request)
        return self.get_response(request)


def signed_in_here(user, request) -> bool:
    """Whether `user` counts as signed in on this request's hostname: a union's account
    on its own union's site only; an account with no union (a platform operator) on the
    platform's hostname only (UnionMiddleware's `is_platform_host`)."""
    if not user.is_authenticated:
        return False
    union = getattr(request, "union", None)
    if union is not None:
        return user.union_id == union.pk
    return user.union_id is None and getattr(request, "is_platform_host", False)


class TenantUserMiddleware:
    """Binds a session to its own tenant: elsewhere its user is anonymous.

    Runs right after UnionMiddleware. A session of union B presented on union A's
    hostname (the same browser, or a session cookie shared across subdomains) and an
    operator's session on a union's hostname get `AnonymousUser` as `request.user` and
    from `request.auser()`, so every page section, Wagtail view restriction, admin view,
    search and API answers as for a visitor. The session itself is left alone — it is
    still good on its own hostname — which is why BlockedUserMiddleware, which ends
    sessions, runs before this and sees the session's real user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session_user = request.user  # lazy: nothing is loaded for an anonymous request
        resolved = []

        def bound_user():
            if not resolved:
                resolved.append(session_user if signed_in_here(session_user, request)
                                else AnonymousUser())
            return resolved[0]

        async def auser():
            return bound_user() if resolved else await sync_to_async(bound_user)()

        request.user = SimpleLazyObject(bound_user)
        request.auser = auser
        return self.get_response(request)


class PrivateResponseMiddleware:
    """Responses made for a signed-in user are `Cache-Control: private, no-store`.

    What a signed-in user is shown is personal (the profile, a person, the member card,
    search hits, exports, the activity stream, an organisation page's member sections,
    the admin), so neither a shared cache nor the browser's disk may keep it. A response
    that set its own Cache-Control (e.g. the web app manifest) keeps it. Runs after
    TenantUserMiddleware: a foreign session's anonymous answers are not personal.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class SlidingSessionMiddleware:
    """The idle timeout, without a session write on every request.

    A signed-in session ends `SESSION_COOKIE_AGE` seconds after it was last saved. Rather
    than saving it on every request (`SESSION_SAVE_EVERY_REQUEST`: an UPDATE and a cookie
    per page view), this marks it for saving when the last extension is
    `SESSION_EXTEND_INTERVAL` seconds old or more; so a session in use never expires, and
    an idle one ends between `SESSION_COOKIE_AGE - SESSION_EXTEND_INTERVAL` and
    `SESSION_COOKIE_AGE` seconds after its last request. Anonymous sessions are not
    touched. Placed right after SessionMiddleware, whose response step then saves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(LAST_EXTENDED, 0) >= settings.SESSION_EXTEND_INTERVAL:
                session[LAST_EXTENDED] = now
        return response

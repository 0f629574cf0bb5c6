import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout

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

from django.contrib.auth import SESSION_KEY, logout


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

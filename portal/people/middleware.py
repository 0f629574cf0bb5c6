from django.shortcuts import render

from .selectors import NoProfile


class NoProfileMiddleware:
    """Answers `NoProfile` (an account without a member profile here, e.g. union staff,
    opening the profile, member card or activity stream) with a page that explains it in
    the site's look and language, also with DEBUG on, where Django would show its
    technical 404 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, NoProfile):
            return None
        # Private, no-store: PrivateResponseMiddleware (the user is signed in).
        return render(request, "people/no_profile.html", status=404)

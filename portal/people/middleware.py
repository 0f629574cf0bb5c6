from django.shortcuts import render
from django.utils.cache import patch_cache_control

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
        response = render(request, "people/no_profile.html", status=404)
        patch_cache_control(response, private=True, no_store=True)
        return response

from wagtail.models import Site

from .models import Union


class UnionMiddleware:
    """Resolves the tenant from the request's hostname: `request.union` (or None)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = Site.find_for_request(request)
        request.union = (
            # The settings come along in the same query: every page asks for feature switches.
            Union.objects.select_related("site", "settings")
            .filter(site=site, is_active=True)
            .first()
            if site is not None
            else None
        )
        return self.get_response(request)

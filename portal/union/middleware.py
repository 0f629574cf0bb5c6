from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from wagtail.models import Site

from .current import working_for
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
        # For code Wagtail calls without the request: rich-text links, privacy dialog.
        with working_for(request.union):
            return self.get_response(request)


class UnionLocaleMiddleware:
    """Activates the interface language; replaces Django's LocaleMiddleware and runs right
    after UnionMiddleware, because the union's default language decides it.

    Order: the `django_language` cookie (the language switcher), else the union's
    default language on a union's site, else — on a hostname that is no union's — the
    browser's Accept-Language, else LANGUAGE_CODE. The union was loaded by
    UnionMiddleware, so this costs no query. See docs/languages.md.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        union = getattr(request, "union", None)
        language = language_from_cookie(request)
        if language is None and union is not None:
            language = supported_language(union.default_language)
        if language is None and union is None:
            language = translation.get_language_from_request(request)
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The language follows the cookie (and, off the unions' sites, Accept-Language).
        patch_vary_headers(response, ("Cookie",) if union is not None
                           else ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def supported_language(code: str | None) -> str | None:
    """`code` if it is one of LANGUAGES (or a variant of one), else None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def language_from_cookie(request) -> str | None:
    return supported_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))

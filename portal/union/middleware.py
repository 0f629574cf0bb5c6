from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_vary_headers
from wagtail.views import serve as wagtail_serve

from .current import working_for
from .hosts import localized_root, site_and_union
from .ids import MAX_ID  # the largest id a BigAutoField holds


class UnionMiddleware:
    """Resolves the tenant from the request's hostname: `request.union` (or None), and
    `request.is_platform_host`: the hostname is no union's (the platform operator's).

    A hostname in PLATFORM_HOSTNAMES is the platform's even when a union's site is
    Wagtail's default site (the demo's PAL answers any unknown hostname): it gets no Wagtail
    site at all, so no union's pages are served there. An inactive union's hostname is
    neither a union's (`request.union` is None) nor the platform's.

    Site and union come from the process's cache (`hosts.py`; a change is seen at once
    by the process that made it, by others within PAGE_SECTION_CACHE_SECONDS), and
    Wagtail's page routing starts from the cached root page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.get_host().rsplit(":", 1)[0].lower() in settings.PLATFORM_HOSTNAMES:
            site, union = None, None
        else:
            # From the process's cache (hosts.py): no query on most requests.
            site, union = site_and_union(request)
        request._wagtail_site = site  # Site.find_for_request's per-request cache
        request.is_platform_host = union is None
        request.union = union if union is not None and union.is_active else None
        # For code Wagtail calls without the request: rich-text links, privacy dialog.
        with working_for(request.union):
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Wagtail's router fetches the site's root page, its locale and its specific
        # object on every page view before routing; the cached root routes at once.
        # The result goes where Page.route_for_request keeps it for the request.
        if view_func is wagtail_serve and request.union is not None:
            components = [part for part in view_args[0].split("/") if part] if view_args else []
            try:
                request._wagtail_route_for_request = localized_root(
                    request, request.union).route(request, components)
            except Http404:
                request._wagtail_route_for_request = None
        return None


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


class OutOfRangeIdMiddleware:
    """A URL whose numeric part exceeds any possible id is a 404, not a 500.

    `/people/99999999999999999999999/` would reach the database as an integer it cannot
    hold ("int too large", or an out-of-range error on PostgreSQL). Checked once here for
    every URL pattern — ours, Wagtail's and the libraries' — on the resolved arguments:
    `<int:…>` values and all-digit path segments passed as strings (`<str:pk>`, regex
    groups such as documents/<id>/). An id in a query string (`?id=`, a filter's choice)
    reaches the database unchecked: SQLite (the demo) then raises OverflowError, which is
    answered 404 as well; PostgreSQL just finds nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, str) and value.isascii() and value.isdigit():
                value = int(value)
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_ID:
                raise Http404
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            raise Http404 from exception
        return None


# URL arguments of Wagtail's admin views that name a page.
ADMIN_PAGE_ARGUMENTS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id",
                        "page_pk")
ADMIN_MEDIA_ARGUMENTS = ("image_id", "document_id", "doc_id", "pk")


class AdminObjectScopeMiddleware:
    """An admin URL that names a page, image or document of another union is a 404.

    Several of Wagtail's admin views load the object named in the URL before any
    permission check, or check only when a form is posted, and show its title: the
    admin API's image and document details, the image chooser's format step, a move's
    confirmation, the workflow actions (in a message on the next page). Rather than
    patch each, every admin URL's page, image and document ids are checked here against
    the request's union (its page tree, its collection); superusers are not limited.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (not request.path_info.startswith("/admin/") or not user.is_authenticated
                or user.is_superuser):
            return None  # visitors are sent to sign in by the view
        page_ids = {view_kwargs[name] for name in ADMIN_PAGE_ARGUMENTS if name in view_kwargs}
        if page_ids and not self._pages_of_union(request.union, page_ids):
            raise Http404
        kind = ("images" if "/images/" in request.path_info
                else "documents" if "/documents/" in request.path_info else None)
        media_id = next((view_kwargs[name] for name in ADMIN_MEDIA_ARGUMENTS
                         if name in view_kwargs), None)
        if kind and media_id is not None and not self._media_of_union(request.union, kind,
                                                                      media_id):
            raise Http404
        return None

    @staticmethod
    def _pages_of_union(union, page_ids) -> bool:
        """The pages are in the union's tree, or above it (the tree's root, which the
        explorer's breadcrumb names)."""
        if union is None:
            return False
        from wagtail.models import Page

        paths = dict(Page.objects.filter(pk__in={*page_ids, union.root_page_id})
                     .values_list("pk", "path"))
        root = paths.get(union.root_page_id, "")
        return all(pk in paths and (paths[pk].startswith(root) or root.startswith(paths[pk]))
                   for pk in page_ids)

    @staticmethod
    def _media_of_union(union, kind, media_id) -> bool:
        if union is None:
            return False
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model

        model = get_image_model() if kind == "images" else get_document_model()
        try:
            media_id = int(media_id)
        except (TypeError, ValueError):
            return True  # not an id (e.g. a chooser step's name): the view answers
        collection = union.collection()
        return model.objects.filter(pk=media_id,
                                    collection__path__startswith=collection.path).exists()

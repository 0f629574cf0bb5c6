"""The parts of every page's chrome that are the same for everyone on a site: the home
link, the favicon, the logo, the union's short name and the link menu, in the current
language.

On a union's site they are cached with the union's page sections
(`portal.union.sections`), so a page does not read the brand settings, two images,
the root page, the link menu and the active locale again on every request. Saving the
brand or the link menu, one of their images or any of the union's pages makes them
stale (`themes.signals`).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Site

from portal.union.sections import cached_section

from .models import BrandSettings, LinkMenu

FAVICON_FILTER = "fill-64x64"
LOGO_FILTER = "height-48"


def site_chrome(request) -> dict:
    language = get_language() or settings.LANGUAGE_CODE
    union = getattr(request, "union", None)
    if union is None:
        return _build(Site.find_for_request(request), None, language)
    return cached_section(request=request, page=None, name=f"chrome:{language}",
                          build=lambda: _build(union.site, union, language))


def _build(site, union, language: str) -> dict:
    chrome = {"home_url": None, "favicon_url": None, "logo": None, "link_menu": [],
              "union_short_name": ""}
    if site is None:
        return chrome
    # Read, not get_or_create (for_site): a first view must not write a settings row,
    # whose save would make the chrome it is building stale at once.
    brand = BrandSettings.objects.filter(site=site).select_related("logo", "favicon").first()
    if brand is not None and brand.favicon_id:
        chrome["favicon_url"] = brand.favicon.get_rendition(FAVICON_FILTER).url
    if brand is not None and brand.logo_id:
        logo = brand.logo.get_rendition(LOGO_FILTER)
        chrome["logo"] = {"url": logo.url, "width": logo.width, "height": logo.height}
    if union is not None:
        chrome["home_url"] = union.root_page.localized.url
        # The mobile top bar's name (base.html falls back to the union's full name).
        chrome["union_short_name"] = union.root_page.short_name
        chrome["link_menu"] = LinkMenu.entries_for_site(site, language)
    return chrome

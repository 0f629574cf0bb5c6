"""What base.html needs to draw the bars and the side menu (U-3.2.4–3.2.5).

Decisions live here, not in the template: whether the main search exists, where each
language's version of the current page is, the link menu in the current language, and
whether the signed-in user has a member card.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page

from portal.union.sections import cached_section

from .chrome import site_chrome

# Entries of the navigation registry that go to the bars (bottom on mobile, top on
# desktop); anything else registered lands in the side menu.
BAR_KEYS = ("discussions", "campaigns")
# Entries drawn in the top bar at every width, beside the user menu: the activity
# stream, so that its unread count is always in sight.
TOP_KEYS = ("activity",)


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _translation_urls(request, page) -> dict[str, str]:
    """Language code → URL of the page's live version in it (the page's own included)."""
    return {
        translation.locale.language_code: translation.get_url(request)
        for translation in page.get_translations(inclusive=True).live().select_related("locale")
    }


def _language_versions(request, page) -> list[dict]:
    """One entry per interface language, with the URL to return to after switching."""
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    here = request.get_full_path()
    urls = {}
    if isinstance(page, Page) and getattr(page, "pk", None):
        # The same for every viewer of the page: cached with the page's sections, which
        # any page save in the union (a translation added or published) makes stale.
        urls = cached_section(request=request, page=page, name="translations",
                              build=lambda: _translation_urls(request, page))
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "current": code == current,
            "next": urls.get(code) or here,
        }
        for code, _name in settings.LANGUAGES
    ]


def _has_member_card(request) -> bool:
    if getattr(request, "user", None) is None:
        return False
    from portal.people.selectors import has_profile

    return has_profile(request)


def _on_card_page(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name == "membercard:card"


def chrome(request) -> dict:
    # Wagtail renders pages through page.serve(); the `before_serve_page` hook in
    # wagtail_hooks.py leaves the routed page on the request for the language switcher.
    page = getattr(request, "portal_page", None)
    nav = _split_nav(request)
    home = next((item for item in nav["nav_items"] if item["key"] == "home"), None)
    has_profile = _has_member_card(request)
    return {
        "site_search_url": _reverse_or_none("search:results"),
        "languages": _language_versions(request, page),
        # home_url, favicon_url, logo, union_short_name, link_menu: the same for everyone on
        # the site.
        **site_chrome(request),
        # The compact card links to the full one; on the card page itself it would repeat it.
        "has_member_card": not _on_card_page(request) and has_profile,
        # The user menu's profile links: staff and admins without a member profile would
        # only reach a page saying they have none.
        "has_profile": has_profile,
        **nav,
        # The union's name in the top bar takes a signed-in user to their own home.
        **({"home_url": home["url"]} if home else {}),
    }


def _split_nav(request) -> dict:
    from portal.navigation import items_for

    # The one place nav entries are computed for a request, so that the entries (and their
    # badge counts) are computed once per request; `nav_items` stays in every context.
    items = items_for(request)
    return {
        "nav_items": items,
        "bar_items": [item for item in items if item["key"] in BAR_KEYS],
        "top_items": [item for item in items if item["key"] in TOP_KEYS],
        "side_items": [item for item in items if item["key"] not in BAR_KEYS + TOP_KEYS],
    }

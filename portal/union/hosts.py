"""Hostname → Wagtail site and union (with its settings), kept in each process's cache.

Every request needs its site and union before anything else. Looking them up took two
queries a request (Wagtail's site lookup, then the union with its settings); here they
come from the process's cache (`CACHES["default"]`, memory), so a page view asks the
database only for what is its own.

Invalidation works like the page sections' (`sections.py`): one generation number for
all hostnames, part of every key. Saving or deleting a site, a union or its settings
replaces it, so the process that made the change resolves the hostname afresh at once;
other processes do within `PAGE_SECTION_CACHE_SECONDS`. The cache holds copies
(pickled), so a request that changes its `request.union` changes nothing shared.

The union's root page is cached the same way, per site and language, as its specific
object in the active language: Wagtail's router (`Page.route_for_request`) otherwise
fetches the root, its locale and its specific object on every page view. A root page
is a page of the union, so any page save in the union (the sections' generation) drops
it too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from . import sections

# Stored for "no site / no union" too, so that an unknown hostname costs no query either.
_MISSING = "missing"
_GENERATION_KEY = "hosts:generation"


def _generation() -> int:
    return sections.current_generation(_GENERATION_KEY)


def invalidate(**_kwargs) -> None:
    """Forget every hostname's site and union in this process (the next request looks
    them up again); other processes within PAGE_SECTION_CACHE_SECONDS."""
    sections.renew_generation(_GENERATION_KEY)


def site_and_union(request):
    """`(site, union)` for the request's hostname and port; either may be None.

    The union comes with its `site`, `settings` and `root_page` (its UnionPage) loaded,
    whether or not it is active: the middleware decides what an inactive union means.
    """
    from .models import Union

    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"hosts:{_generation()}:{hostname}:{request.get_port()}"
    entry = cache.get(key)
    if entry is None:
        site = Site._find_for_request(request)
        union = None
        if site is not None:
            # The settings come along: every page asks for feature switches.
            union = (Union.objects.select_related("site", "settings", "root_page")
                     .filter(site=site).first())
            if union is not None:
                union.site = site  # the same object: one copy in the pickle
        entry = (site, union) if site is not None else _MISSING
        cache.set(key, entry, timeout=settings.PAGE_SECTION_CACHE_SECONDS)
    return (None, None) if entry == _MISSING else entry


def localized_root(request, union) -> Page:
    """The union's root page, specific, in the active language (a translation of the
    root when one exists in it), as Wagtail's router would find it."""
    from django.utils.translation import get_language

    language = get_language() or settings.LANGUAGE_CODE
    key = (f"hosts:{_generation()}:root:{union.pk}:{sections.generation(union.pk)}:"
           f"{language}")
    root = cache.get(key)
    if root is None:
        root = union.root_page.localized.specific
        # Its ancestors go with it (the tree's root), as routing attaches them to the
        # pages below: the home page's view restriction check then reads them from here.
        root._routed_ancestors = list(root.get_ancestors())
        cache.set(key, root, timeout=settings.PAGE_SECTION_CACHE_SECONDS)
    return root


def connect_receivers() -> None:
    from .models import Union, UnionSettings

    for model in (Site, Union, UnionSettings):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"hosts-{model.__name__}-save")
        post_delete.connect(invalidate, sender=model,
                            dispatch_uid=f"hosts-{model.__name__}-delete")

"""Shared sections of organisation pages, cached per site and page.

A union, branch or employer page shows the same lists to every member who opens it:
the union's sections, offices and staff; a branch's bulletins and the workplaces where
its members work; an employer's workplaces and agreements; the officials of a page
(their contact cards, which every member of the union may see); and on every page the
site's chrome (`themes.chrome`: home link, logo, favicon, link menu). Those cost more
than the rest of the page, so they are cached here. Whether the viewer may see a list
is decided per request before the cache is asked, what depends on the viewer (member
lists, rights) is never cached, and each view of officials is still audited. The HTML
of those parts is cached too, per kind of viewer (`cached_html`, used by the
`{% sectionhtml %}` tag), so that a viewer like the last one skips the template code.

Invalidation: each union has a generation number in the cache, part of every key. Any
change to the union's pages, people, employments or positions of trust (the receivers
below), or to its brand or link menu (`themes.signals`), replaces it, so the next view
rebuilds. The cache is per process: the
process that made the change shows it at once, other processes within
`PAGE_SECTION_CACHE_SECONDS` (60 s by default).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Page
from wagtail.signals import page_unpublished, post_page_move

T = TypeVar("T")


# The generations one request has read, so that a page asks the cache once per key (a
# page view asked 17 times for two or three keys: every cached section and viewer fact
# keys on them). Only while a request runs (request_started to request_finished), so a
# task worker or a command never keeps one; this thread's own `renew_generation` updates
# it, so a change counts at once in the request that made it, and a change by another
# thread counts from that thread's next request on (the caches are per process).
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.generations = {}


def _request_finished(**kwargs) -> None:
    _request.generations = None


request_started.connect(_request_started, dispatch_uid="sections-generations-start")
request_finished.connect(_request_finished, dispatch_uid="sections-generations-finish")


def current_generation(key: str) -> int:
    """The generation number stored under `key`, made on first use. Per-process caches
    put it in their keys, so that replacing it (`renew_generation`) makes them stale."""
    known = getattr(_request, "generations", None)
    if known is not None and key in known:
        return known[key]
    generation = cache.get(key)
    if generation is None:
        cache.add(key, time.time_ns(), timeout=None)
        generation = cache.get(key, 0)
    if known is not None:
        known[key] = generation
    return generation


def renew_generation(key: str) -> None:
    # A new value, not an increment: a generation evicted and re-added must not come
    # back as one that older entries were stored under.
    generation = time.time_ns()
    cache.set(key, generation, timeout=None)
    known = getattr(_request, "generations", None)
    if known is not None:
        known[key] = generation


def _generation_key(union_id: int) -> str:
    return f"sections:generation:{union_id}"


def generation(union_id: int) -> int:
    """The union's current generation (other per-process caches key on it too)."""
    return current_generation(_generation_key(union_id))


def invalidate(union_id: int | None) -> None:
    """Make every cached section of this union stale (the next view rebuilds it)."""
    if union_id is not None:
        renew_generation(_generation_key(union_id))


def cached_section(*, request, page: Page | None, name: str, build: Callable[[], T]) -> T:
    """`build()`'s value for this page's section `name`, from the cache when fresh;
    with `page=None`, a part of every page of the union's site (the chrome).

    The value must be plain data (links, numbers, simple rows, officials' cards), the
    same for everyone allowed to see it: the caller checks that right first. Previews
    are never cached: they show a draft's own rows.
    """
    union = request.union
    if union is None or getattr(request, "is_preview", False):
        return build()
    where = "site" if page is None else page.pk
    key = f"sections:{union.site_id}:{union.pk}:{generation(union.pk)}:{where}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=settings.PAGE_SECTION_CACHE_SECONDS)
    return value


def viewer_class(request, page: Page | None) -> str:
    """What kind of viewer this is, for the rendered sections (`cached_html`): "visitor"
    (signed out), "signed-in" (no role in this union), "member" (the union's own people)
    or "manager" (`access.roles.can_manage_page`: staff, or an official of this page).
    Kept on the request per page: a template asks once per cached section."""
    from portal.access.roles import can_manage_page, roles_for

    user = getattr(request, "user", None)
    union = getattr(request, "union", None)
    if union is None or user is None or not user.is_authenticated:
        return "visitor"
    known = request.__dict__.setdefault("_viewer_classes", {})
    where = page.pk if page is not None else None
    if where not in known:
        if not roles_for(user, union):
            known[where] = "signed-in"
        elif page is not None and can_manage_page(request, page):
            known[where] = "manager"
        else:
            known[where] = "member"
    return known[where]


def cached_html(*, request, page: Page | None, name: str, vary: tuple = (),
                render: Callable[[], str]) -> str:
    """The rendered HTML of one section of a page (`page=None`: of every page of the
    site), from the cache when fresh: `{% sectionhtml %}` in union/templatetags.

    The key holds what the HTML may depend on besides the page's own rows: the union's
    generation (any change to its pages or people makes it stale, as `cached_section`),
    the language, the date (an official's term ends at midnight), the viewer's class
    (`viewer_class`) and the caller's `vary` values for anything finer (a page number, a
    right). A `vary` value of None means the section is personal: it is rendered every
    time. What must never be shared (CSRF tokens, the viewer's own name or links, people
    lists) stays outside these sections.
    """
    union = getattr(request, "union", None)
    if union is None or getattr(request, "is_preview", False) or None in vary:
        return render()
    key = ":".join(str(part) for part in (
        "html", union.site_id, union.pk, generation(union.pk),
        "site" if page is None else page.pk, name, get_language() or settings.LANGUAGE_CODE,
        timezone.localdate(), viewer_class(request, page), *vary))
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=settings.PAGE_SECTION_CACHE_SECONDS)
    return html


def sections_of(request, page: Page) -> Callable[..., object]:
    """`cached_section` bound to one request and page: `section(name=..., build=...)`."""
    return functools.partial(cached_section, request=request, page=page)


def _union_id_of_page(page: Page) -> int | None:
    union_id = getattr(page, "union_id", None)
    if union_id is not None:
        return union_id
    from .models import Union

    # A union's root page carries no union column; its union points at it.
    return Union.objects.filter(root_page_id=page.pk).values_list("pk", flat=True).first()


# Publishing saves the page (post_save below); unpublishing a subtree and moving a page
# change rows with UPDATEs, so they are heard through Wagtail's own signals.
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_unpublished_or_moved(sender, instance, **kwargs):
    invalidate(_union_id_of_page(instance.specific_deferred))


@receiver(post_save)
@receiver(post_delete)
def _page_saved_or_deleted(sender, instance, **kwargs):
    # Pages added with add_child (actions, imports) are saved live without a publish
    # signal; a draft save rebuilds needlessly, which is cheap and rare.
    if isinstance(instance, Page):
        invalidate(_union_id_of_page(instance))


def _people_changed(sender, instance, **kwargs):
    invalidate(instance.union_id)


def connect_people_receivers() -> None:
    """Pages list their officials and the workplaces where their members work: changes
    to people, employments and positions of trust count too."""
    from portal.people.models import Employment, Person, PositionOfTrust

    for model in (Person, Employment, PositionOfTrust):
        post_save.connect(_people_changed, sender=model,
                          dispatch_uid=f"sections-{model.__name__}-save")
        post_delete.connect(_people_changed, sender=model,
                            dispatch_uid=f"sections-{model.__name__}-delete")

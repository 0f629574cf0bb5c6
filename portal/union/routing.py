"""Routing a union site's URL to its page in one query, whatever the depth.

Wagtail's `Page.route` walks the path one segment at a time: a query for the child
and another for its specific object, per level. A workplace page five levels down
took ten queries before its own context ran, and the breadcrumbs and the view
restriction check each read the ancestors again. Here one query fetches every
candidate page of the path (and the ancestors of the union's root page); the line
from the root to the page is checked in Python; the page gets its ancestors
attached, so breadcrumbs and view restrictions need no further query.

Anything unusual (a slug that is not there, a page type with its own `route`)
falls back to Wagtail's walk, which then answers exactly as before.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from wagtail.models import Page, PageViewRestriction

from .compiled import run_compiled


def _specific(page: Page) -> Page:
    """`page.specific`, from SQL compiled once per page model."""
    model = page.specific_class
    if model is None or model is Page:
        return page.specific
    found = run_compiled(model, lambda: model._base_manager.filter(pk=page.pk),
                      ("specific", model), [page.pk])
    return found[0] if found else page.specific


def route_in_one_query(root: Page, request, path_components: list[str]):
    """The RouteResult for `path_components` below `root`, or None to let Wagtail walk."""
    steplen = Page.steplen
    # The root's own row too (the cached root cannot say whether it is restricted now).
    ancestor_paths = [root.path[: steplen * depth] for depth in range(1, root.depth + 1)]
    candidates = run_compiled(
        Page,
        # Each row says whether a view restriction is set on it, so that a line of pages
        # without one needs no query for them (view_restrictions_of).
        lambda: Page.objects.annotate(has_view_restriction=Exists(
            PageViewRestriction.objects.filter(page_id=OuterRef("pk")))).filter(
            Q(path__in=ancestor_paths)
            | Q(
                path__startswith=root.path,
                depth__gt=root.depth,
                depth__lte=root.depth + len(path_components),
                slug__in=path_components,
            )
        )
        .order_by("depth", "path"),
        ("candidates", len(ancestor_paths), len(path_components)),
        # The first: the EXISTS subquery's LIMIT 1.
        [1, *ancestor_paths, root.depth, root.depth + len(path_components), f"{root.path}%",
         *path_components],
    )
    above_root: list[Page] = []
    root_row = None
    by_depth: dict[int, list[Page]] = {}
    for page in candidates:
        if page.depth < root.depth:
            above_root.append(page)
        elif page.depth == root.depth:
            root_row = page if page.pk == root.pk else root_row
        else:
            by_depth.setdefault(page.depth, []).append(page)
    if root_row is None:
        return None

    line: list[Page] = []
    parent = root
    last = len(path_components) - 1
    for index, slug in enumerate(path_components):
        child = next(
            (
                page
                for page in by_depth.get(parent.depth + 1, ())
                if page.slug == slug and page.path[:-steplen] == parent.path
            ),
            None,
        )
        if child is None or child.specific_class is None:
            return None
        if index < last and child.specific_class.route is not Page.route:
            return None  # a routable page answers its own sub-paths
        child._cached_parent_obj = parent
        line.append(child)
        parent = child

    target = _specific(line[-1])
    target._routed_ancestors = [*above_root, root, *line[:-1]]
    rows = [*above_root, root_row, *line]
    # No view restriction on the line and no alias in it (an alias is restricted like its
    # original, which is not on the line): nothing to ask again.
    target._routed_unrestricted = not any(
        row.has_view_restriction or row.alias_of_id for row in rows)
    return target.route(request, [])


def routed_ancestors(page: Page) -> list[Page] | None:
    """The ancestors routing attached to `page` (tree root first), if it routed it."""
    return getattr(page, "_routed_ancestors", None)


def view_restrictions_of(page: Page):
    """Wagtail's `get_view_restrictions` from the routed ancestors: one query, not two."""
    ancestors = routed_ancestors(page)
    if ancestors is None:
        return None
    if getattr(page, "_routed_unrestricted", False):
        return []  # routing read the line of pages in this request: none restricted
    # An alias is restricted like the page it aliases (Wagtail's rule); aliases of
    # aliases do not exist, Wagtail points every alias at the original.
    page_ids = sorted({p.alias_of_id or p.pk for p in (page, *ancestors)})
    # Asked on every page view: from SQL compiled once per depth (compiled.py). A list,
    # not a queryset: Wagtail's serving hook only iterates it, and a page that was not
    # routed here (the admin's privacy view orders the queryset) gets Wagtail's own.
    return run_compiled(
        PageViewRestriction,
        lambda: PageViewRestriction.objects.filter(page_id__in=page_ids),
        ("view-restrictions", len(page_ids)), page_ids)

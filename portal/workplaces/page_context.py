"""What the workplaces app's pages show: their `get_context` reads it from here (selectors and
cached sections), so that page models import no views."""

from django.core.paginator import Paginator
from django.db.models import Q
from wagtail import hooks

from portal.access.roles import can_manage_page
from portal.people.selectors import density_of, employees_of, officials_of
from portal.union.links import page_links
from portal.union.sections import sections_of

from .models import EmployerPage, WorkplacePage


def employer_index_context(page, request) -> dict:
    employers = (
        EmployerPage.objects.child_of(page)
        .live()
        .order_by("title")
        .only("id", "title", "url_path", "business_id", "city")
    )
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        employers = employers.filter(Q(title__icontains=query) | Q(business_id__startswith=query))
    return {
        "employers": Paginator(employers, 100).get_page(request.GET.get("page")),
        "query": query,
    }




WORKPLACES_PER_PAGE = 100


def _workplace_listing(page, request):
    """One page of the employer's workplaces as links, the count and the links cached."""
    section = sections_of(request, page)
    workplaces = WorkplacePage.objects.child_of(page).live().order_by("title", "pk")
    count = section(name="workplace-count", build=workplaces.count)
    # The paginator counts a range, not the table: the count is the cached one, and the
    # page number is clamped before it becomes part of a cache key.
    listing = Paginator(range(count), WORKPLACES_PER_PAGE).get_page(request.GET.get("wpage"))
    start = (listing.number - 1) * WORKPLACES_PER_PAGE
    # Links, not page objects: up to 100 a page (portal.union.links).
    listing.object_list = section(
        name=f"workplaces-{listing.number}",
        build=lambda: page_links(request.union or page.union,
                                 workplaces[start:start + WORKPLACES_PER_PAGE], note="city"),
    )
    return listing


def employer_page_context(page, request) -> dict:
    section = sections_of(request, page)
    context = {
        "workplaces": _workplace_listing(page, request),
        "agreements": section(
            name="agreements",
            build=lambda: page_links(request.union or page.union,
                                     page.agreements.live().order_by("title")),
        ),
        "officials": officials_of(request=request, pages=[page]),
        "employees": None,
        "unattached": None,
        "density": None,
    }
    if can_manage_page(request, page):
        context["employees"] = employees_of(request=request, employer=page)
        context["unattached"] = employees_of(request=request, employer=page, unattached=True)
        context.update(_from_apps_above("employer_page_context", page, request))
    return context


def _from_apps_above(name: str, page, request) -> dict:
    """What apps above the page apps add to a page for those who manage it (workplace
    mapping: the union density and its links), through a Wagtail hook of that name:
    `hook(page=…, request=…) -> dict`. Asked only for managers, so a member's page view
    costs nothing more; `workplace_page_visitor_context` is asked for the others, and its
    hooks must answer a plain member from facts the page's chrome already holds."""
    extra: dict = {}
    for hook in hooks.get_hooks(name):
        extra.update(hook(page=page, request=request) or {})
    return extra


def _employer_link(page, request):
    """The workplace's employer as a link (a one-item list, so "none" caches too)."""
    links = sections_of(request, page)(
        name="employer",
        build=lambda: page_links(request.union or page.union,
                                 EmployerPage.objects.filter(pk=page.employer_id)),
    )
    return links[0] if links else None


def workplace_page_context(page, request) -> dict:
    context = {
        "employer": _employer_link(page, request),
        "officials": officials_of(request=request, pages=[page]),
        "employees": None,
        "density": None,
    }
    if can_manage_page(request, page):
        context["employees"] = employees_of(request=request, workplace=page)
        context.update(_from_apps_above("workplace_page_context", page, request))
        if context["density"] is None:  # no app above computes it (or is switched off)
            context["density"] = density_of(workplace=page)
    else:  # a campaign team member maps the workplace without managing its page
        context.update(_from_apps_above("workplace_page_visitor_context", page, request))
    return context

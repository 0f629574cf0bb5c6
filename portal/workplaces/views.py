from django.core.paginator import Paginator
from django.db.models import Q

from portal.access.roles import can_manage_page
from portal.people.selectors import density_of, employees_of, officials_of
from portal.union.links import page_links

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




def employer_page_context(page, request) -> dict:
    workplaces = Paginator(
        WorkplacePage.objects.child_of(page).live().order_by("title", "pk"), 100
    ).get_page(request.GET.get("wpage"))
    # Links, not page objects: up to 100 a page (portal.union.links).
    workplaces.object_list = page_links(request.union, workplaces.object_list, note="city")
    context = {
        "workplaces": workplaces,
        "agreements": list(
            page.agreements.live().order_by("title").only("id", "title", "url_path")
        ),
        "officials": officials_of(request=request, pages=[page]),
        "employees": None,
        "unattached": None,
    }
    if can_manage_page(request, page):
        context["employees"] = employees_of(request=request, employer=page)
        context["unattached"] = employees_of(request=request, employer=page, unattached=True)
    return context


def workplace_page_context(page, request) -> dict:
    context = {
        "employer": page.employer,
        "officials": officials_of(request=request, pages=[page]),
        "employees": None,
        "density": None,
    }
    if can_manage_page(request, page):
        context["employees"] = employees_of(request=request, workplace=page)
        context["density"] = density_of(workplace=page)
    return context

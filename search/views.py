"""The main search: results page and autocomplete suggestions.

Both show person names, so both write an audit entry per person shown.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from portal.audit.log import AuditAction, record_many

from . import engine

PER_PAGE = 20
# What a hit shows of a person: the name and the titles of their positions of trust.
PERSON_FIELDS_SHOWN = ("name", "positions")


def _audit_people(request, person_ids) -> None:
    if person_ids:
        record_many(
            actor=request.user,
            union=request.union,
            action=AuditAction.LIST,
            people=[SimpleNamespace(pk=pk) for pk in person_ids],
            fields=PERSON_FIELDS_SHOWN,
            target=request.path,
        )


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 500))
    except ValueError:
        return 1


@login_required
@require_GET
def results(request):
    """Search results with counts per kind. Permission: any signed-in user of this
    union's site; each hit is one the user may see (rules in `search.engine`)."""
    query = engine.clean_query(request.GET.get("q"))
    kind = request.GET.get("kind") or None
    page = _page_number(request)
    found = engine.search(user=request.user, union=getattr(request, "union", None),
                          query=query, kind=kind, offset=(page - 1) * PER_PAGE,
                          limit=PER_PAGE)
    _audit_people(request, found.person_ids)
    facets = [
        {"kind": k, "label": engine.KIND_LABELS[k], "count": n,
         "url": "?" + urlencode({"q": query, "kind": k}), "selected": k == found.kind}
        for k, n in found.facets.items()
    ]
    base = {"q": query, **({"kind": found.kind} if found.kind else {})}
    pages = (found.total + PER_PAGE - 1) // PER_PAGE
    context = {
        "query": query,
        "results": found,
        "facets": facets,
        "all_url": "?" + urlencode({"q": query}),
        "all_count": sum(found.facets.values()),
        "page": page,
        "pages": pages,
        "previous_url": "?" + urlencode({**base, "page": page - 1}) if page > 1 else "",
        "next_url": "?" + urlencode({**base, "page": page + 1}) if page < pages else "",
    }
    return render(request, "search/results.html", context)


@require_GET
def autocomplete(request):
    """Suggestions as JSON, grouped by kind. Permission: as `results`; an anonymous
    visitor gets no suggestions."""
    groups = []
    if request.user.is_authenticated:
        groups = engine.autocomplete(user=request.user, union=getattr(request, "union", None),
                                     query=request.GET.get("q", ""))
        _audit_people(request, [h.object_id for g in groups if g.kind == "person"
                                for h in g.hits])
    return JsonResponse({"groups": [
        {"type": g.type, "label": g.label,
         "items": [{"title": h.title, "url": h.url, "subtitle": h.subtitle} for h in g.hits]}
        for g in groups
    ]})


@login_required
@require_GET
def organisations(request):
    """Employers (`kind=employer`) or one employer's workplaces (`kind=workplace&employer=`)
    matching `q`, as JSON for choosing one in a form (the employment form's comboboxes).
    Permission: signed in on this union's site, any role; only this union's pages that
    the user may find (`search.choosers`). Shows no person data: nothing to audit."""
    from .choosers import find_organisations

    kind = request.GET.get("kind")
    if kind not in ("employer", "workplace"):
        raise Http404
    try:
        employer_id = int(request.GET["employer"]) if kind == "workplace" else None
    except (KeyError, ValueError):
        employer_id = None
    if employer_id is not None and not 0 < employer_id < 2**31:
        employer_id = None  # no page has it; an Elasticsearch integer could not hold it
    hits = []
    if kind == "employer" or employer_id is not None:
        hits = find_organisations(user=request.user, union=getattr(request, "union", None),
                                  query=request.GET.get("q", ""), kind=kind,
                                  employer_id=employer_id, limit=20)
    response = JsonResponse({"results": [
        {"id": h.object_id, "title": h.title, "subtitle": h.subtitle} for h in hits]})
    patch_cache_control(response, private=True, no_store=True)
    return response

"""Choosing an employer or a workplace by typing (the employment form, U-3.9.4).

A union has tens of thousands of employers, so forms do not list them: they ask the
main search for the few whose name (or business ID) matches what was typed, and for
workplaces only among the chosen employer's. Same engines and rules as `engine.search`:
Elasticsearch when configured, the database otherwise (or while the node is down), and
only pages of the requester's union that they may find.
"""

from __future__ import annotations

import logging

from django.db.models import Case, Value, When
from elasticsearch import ApiError, TransportError

from . import db_engine, engine, es_engine
from .client import get_client, is_enabled
from .documents import alias_name

logger = logging.getLogger(__name__)

CHOOSABLE_KINDS = ("employer", "workplace", "branch")  # branch: the people admin's filter
LIMIT = 10


def find_organisations(*, user, union, query: str, kind: str, employer_id: int | None = None,
                       limit: int = LIMIT) -> list[engine.Hit]:
    """Employers, or workplaces (of `employer_id` when given), matching `query` as typed
    so far: the start of a word, a part of the name, a typo, or a business ID. With
    nothing typed, the first workplaces of `employer_id` by name."""
    query = engine.clean_query(query)
    requester = engine.requester_for(user, union)
    if kind not in CHOOSABLE_KINDS or requester is None:
        return []
    if not query:
        # Nothing typed yet: a chosen employer's workplaces by name (not a search).
        return _workplaces_of(union, employer_id, limit) if kind == "workplace" else []
    if is_enabled():
        try:
            response = get_client().search(
                index=alias_name(), body=choice_body(requester, query, kind, employer_id, limit))
            return [es_engine._hit(h["_source"]) for h in response["hits"]["hits"]]
        except (TransportError, ApiError) as error:
            logger.warning("choosers: Elasticsearch failed (%s); using the database", error)
    return _db_choices(requester, user, union, query, kind, employer_id, limit)


def choice_body(r: engine.Requester, query: str, kind: str, employer_id: int | None,
                limit: int) -> dict:
    """The Elasticsearch request: the union's visibility filter, one kind, one employer."""
    filters = [engine.visibility_filter(r), {"term": {"kind": kind}}]
    if employer_id is not None:
        filters.append({"term": {"employer_id": employer_id}})
    should = [
        {"match": {"title.ngram": {"query": query, "operator": "and"}}},
        {"match": {"title": {"query": query, "fuzziness": "AUTO", "prefix_length": 0,
                             "operator": "and"}}},
        {"multi_match": {"query": query, "fields": ["title", "place"], "operator": "and",
                         "boost": 0.5}},
    ]
    if es_engine._BUSINESS_ID.match(query):
        # A whole business ID is looked up exactly: one digit off is another company.
        should = [{"term": {"business_id": {"value": query}}}]
    return {
        "size": limit,
        "track_total_hits": False,  # the form shows no count
        "query": {"bool": {"filter": filters, "should": should, "minimum_should_match": 1}},
        "_source": es_engine._SOURCE,
        "sort": ["_score", {"object_id": "asc"}],
    }


def _db_choices(r, user, union, query, kind, employer_id, limit) -> list[engine.Hit]:
    from portal.branches.models import BranchPage
    from portal.workplaces.models import EmployerPage, WorkplacePage

    model = {"employer": EmployerPage, "workplace": WorkplacePage, "branch": BranchPage}[kind]
    pages = db_engine._PageSearch(union=union, staff=r.staff, query=query, stemmed=False,
                                  user=user).pages(model)
    if employer_id is not None:
        pages = pages.filter(employer_id=employer_id)
    # The name typed first: "Valk" lists Valkonen Oy before Aho Tmi of Taivalkoski (a
    # match in its place only), then names with a word starting so (Virtanen Valkama),
    # as Elasticsearch's scores do; alphabetical within each.
    first = query.split()[0]
    rank = Case(When(title__istartswith=query, then=Value(0)),
                When(title__icontains=f" {first}", then=Value(1)),
                When(title__icontains=first, then=Value(2)), default=Value(3))
    pages = pages.order_by(rank, "title", "pk")
    return db_engine._db_hits(kind, pages[:limit], union)


def _workplaces_of(union, employer_id: int | None, limit: int) -> list[engine.Hit]:
    from portal.workplaces.models import WorkplacePage

    if employer_id is None:
        return []
    workplaces = (WorkplacePage.objects.for_union(union).live().filter(employer_id=employer_id)
                  .select_related("employer").order_by("title", "pk")[:limit])
    return db_engine._db_hits("workplace", workplaces, union)

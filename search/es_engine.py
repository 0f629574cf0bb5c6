"""The main search on Elasticsearch: the visibility filter and the query bodies.

The permission rules (docstring of `search.engine`) are filters inside the query, never
a post-filter of hits and never a long list of ids."""

from __future__ import annotations

import datetime as dt

from .client import get_client
from .common import _BUSINESS_ID, Group, Hit, Requester, Results, _position_labels
from .documents import KINDS, alias_name


def _contains_day(field_name: str, day: dt.date) -> dict:
    iso = day.isoformat()
    return {"range": {field_name: {"gte": iso, "lte": iso, "relation": "intersects"}}}


def visibility_filter(r: Requester) -> dict:
    """The requester's union and scope, as an Elasticsearch filter."""
    union = {"term": {"union_id": r.union_id}}
    if r.staff:
        return {"bool": {"filter": [union]}}
    people = [
        {"term": {"user_id": r.user_id}},
        _contains_day("official_terms", r.today),
    ]
    if r.branch_ids:
        people.append({"terms": {"branch_id": list(r.branch_ids)}})
    for field_name, ids in (("jobs.workplace_id", r.workplace_ids),
                            ("jobs.employer_id", r.employer_ids)):
        if ids:
            people.append({"nested": {"path": "jobs", "query": {"bool": {"filter": [
                {"terms": {field_name: list(ids)}}, _contains_day("jobs.term", r.today),
            ]}}}})
    return {"bool": {"filter": [union], "minimum_should_match": 1, "should": [
        {"bool": {"filter": [{"term": {"kind": "person"}}],
                  "must_not": [{"term": {"deceased": True}}],
                  "should": people, "minimum_should_match": 1}},
        {"bool": {"must_not": [{"term": {"kind": "person"}}, {"term": {"restricted": True}}],
                  # Bulletins not public: their branch's officials and recipients only.
                  "minimum_should_match": 1, "should": [
                      {"bool": {"must_not": [{"term": {"audience_restricted": True}}]}},
                      {"term": {"audience_user_ids": r.user_id}},
                      *([{"terms": {"branch_id": list(r.branch_ids)}}] if r.branch_ids else []),
                  ]}},
    ]}}


def _exact_clauses(r: Requester, query: str) -> list[dict]:
    clauses = [{"term": {"email": {"value": query.lower(), "boost": 10}}}]
    match = _BUSINESS_ID.match(query)
    if match:
        clauses.append({"term": {"business_id": {"value": query, "boost": 30}}})
    member_number = {"term": {"member_number": {"value": query.lower()}}}
    if r.staff:
        clauses.append({"constant_score": {"filter": member_number, "boost": 30}})
        clauses.append({"match": {"alternative_name": {"query": query, "fuzziness": "AUTO"}}})
        clauses.append({"match": {"custom_text": {"query": query, "operator": "and"}}})
    else:
        # A member finds only their own member number.
        clauses.append({"constant_score": {"filter": {"bool": {"filter": [
            member_number, {"term": {"user_id": r.user_id}}]}}, "boost": 30}})
    return clauses


def _text_query(r: Requester, query: str) -> dict:
    should = [
        # Exact and inflected words (the language analysers stem them).
        {"multi_match": {
            "query": query,
            "fields": ["title^3", "title.fi^2", "title.sv^2", "title.en^2",
                       "place^1.5", "place.fi^1.5", "place.sv^1.5", "place.en^1.5",
                       "body^0.5", "body.fi^0.5", "body.sv^0.5", "body.en^0.5"],
            "operator": "and",
        }},
        # Typos in names and titles, also in the first letter (W/V in Finnish names).
        {"match": {"title": {"query": query, "fuzziness": "AUTO", "prefix_length": 0,
                             "operator": "and", "boost": 2}}},
        # Inflected forms the stemmers leave one letter apart (luottamusmiehen/-mies).
        {"multi_match": {"query": query, "fields": ["title.fi", "title.sv", "title.en"],
                         "fuzziness": "AUTO", "prefix_length": 2, "operator": "and"}},
        {"match": {"title.ngram": {"query": query, "operator": "and", "boost": 0.5}}},
        *_exact_clauses(r, query),
    ]
    return {"bool": {"filter": [visibility_filter(r)], "should": should,
                     "minimum_should_match": 1}}


_SOURCE = ["kind", "object_id", "title", "url", "subtitle", "position_kinds", "branch", "date"]


def _hit(source: dict) -> Hit:
    subtitle = source.get("subtitle") or ""
    if source["kind"] == "person":
        subtitle = _position_labels(source.get("position_kinds") or [])
    date = source.get("date")
    return Hit(kind=source["kind"], object_id=source["object_id"], title=source["title"],
               url=source["url"], subtitle=subtitle, branch=source.get("branch") or "",
               date=dt.date.fromisoformat(date) if date else None)


def search_body(r: Requester, query: str, kind=None, offset: int = 0,
                limit: int = 20) -> dict:
    """The Elasticsearch request of `search()` (public for the benchmark)."""
    body = {
        "query": _text_query(r, query),
        "aggs": {"kinds": {"terms": {"field": "kind", "size": len(KINDS)}}},
        "_source": _SOURCE,
        "from": offset,
        "size": limit,
        # The total is read from the facet counts (`_es_search`), which count every
        # match exactly: Elasticsearch need not count the hits a second time.
        "track_total_hits": False,
        "sort": ["_score", {"object_id": "asc"}],
    }
    if kind:
        # Facet counts stay those of every kind; only the hits are narrowed.
        body["post_filter"] = {"term": {"kind": kind}}
    return body


def _es_search(r: Requester, query: str, kind, offset: int, limit: int) -> Results:
    body = search_body(r, query, kind, offset, limit)
    response = get_client().search(index=alias_name(), body=body)
    counts = {b["key"]: b["doc_count"] for b in response["aggregations"]["kinds"]["buckets"]}
    facets = {k: counts[k] for k in KINDS if counts.get(k)}
    return Results(
        query=query,
        hits=[_hit(h["_source"]) for h in response["hits"]["hits"]],
        # Every document has one of KINDS, so these are the matches the hits come from:
        # all of them, or those of the kind chosen (the post_filter).
        total=facets.get(kind, 0) if kind else sum(facets.values()),
        facets=facets,
        kind=kind,
        engine="elasticsearch",
    )


def autocomplete_body(r: Requester, query: str, per_group: int = 5) -> dict:
    """The Elasticsearch request of `autocomplete()` (public for the benchmark)."""
    should = [
        {"match": {"title.ngram": {"query": query, "operator": "and"}}},
        {"match": {"title": {"query": query, "fuzziness": "AUTO", "prefix_length": 0,
                             "operator": "and"}}},
        *_exact_clauses(r, query),
    ]
    return {
        "size": 0,
        "track_total_hits": False,  # the suggestions show no total
        "query": {"bool": {"filter": [visibility_filter(r)], "should": should,
                           "minimum_should_match": 1}},
        "aggs": {"kinds": {
            "terms": {"field": "kind", "size": len(KINDS)},
            "aggs": {"top": {"top_hits": {"size": per_group, "_source": _SOURCE}}},
        }},
    }


def _es_autocomplete(r: Requester, query: str, per_group: int) -> list[Group]:
    body = autocomplete_body(r, query, per_group)
    response = get_client().search(index=alias_name(), body=body)
    buckets = {b["key"]: b for b in response["aggregations"]["kinds"]["buckets"]}
    return [
        Group(kind=k, hits=[_hit(h["_source"]) for h in buckets[k]["top"]["hits"]["hits"]])
        for k in KINDS if k in buckets
    ]


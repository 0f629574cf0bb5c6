"""The people admin's search (portal/contacts): which of a union's people a staff
member's query finds, best first, for the list to filter, sort and page further.

On Elasticsearch the PersonDocument is searched by name with typo tolerance (fuzzy
"AUTO" also on the first letter: "Virtanan" and "Wirtanen" find Virtanen), by
alternative spelling, by the start of a name, and exactly by email and member number;
the list's branch, employer and workplace filters go into the query too, so the cap
below is taken among the people those filters leave. Without Elasticsearch (or while
the node is down) the database matches every word as a substring of the names, or the
email or member number exactly (`db_engine`), with no cap and no typo tolerance.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from elasticsearch import ApiError, TransportError

from .client import get_client, is_enabled
from .common import clean_query, requester_for
from .documents import alias_name
from .es_engine import _exact_clauses, visibility_filter

logger = logging.getLogger(__name__)

# At most this many best matches come back from Elasticsearch: a search is for finding
# someone, and a query that matches more is refined (the list says so).
MATCH_LIMIT = 500


@dataclass
class PeopleMatch:
    """`ids` (best first; Elasticsearch) or `queryset` (the database) of the matches."""

    ids: list[int] | None = None
    queryset: object = None
    capped: bool = False
    engine: str = "database"


def _job_filter(field_name: str, pk: int, today: dt.date) -> dict:
    iso = today.isoformat()
    return {"nested": {"path": "jobs", "query": {"bool": {"filter": [
        {"term": {field_name: pk}},
        {"range": {"jobs.term": {"gte": iso, "lte": iso, "relation": "intersects"}}},
    ]}}}}


def people_body(r, query: str, *, branch_id=None, employer_id=None, workplace_id=None,
                limit: int = MATCH_LIMIT) -> dict:
    """The Elasticsearch request (public for the benchmark)."""
    filters = [visibility_filter(r), {"term": {"kind": "person"}}]
    if branch_id is not None:
        filters.append({"term": {"branch_id": branch_id}})
    if employer_id is not None:
        filters.append(_job_filter("jobs.employer_id", employer_id, r.today))
    if workplace_id is not None:
        filters.append(_job_filter("jobs.workplace_id", workplace_id, r.today))
    should = [
        {"match": {"title": {"query": query, "operator": "and", "boost": 3}}},
        {"match": {"title": {"query": query, "fuzziness": "AUTO", "prefix_length": 0,
                             "operator": "and", "boost": 1.5}}},
        {"match": {"title.ngram": {"query": query, "operator": "and", "boost": 0.5}}},
        *_exact_clauses(r, query),
    ]
    return {
        "size": limit + 1,  # one more tells that the cap was reached
        "track_total_hits": False,
        "_source": False,
        "docvalue_fields": ["object_id"],
        "query": {"bool": {"filter": filters, "should": should, "minimum_should_match": 1}},
        "sort": ["_score", {"object_id": "asc"}],
    }


def match_people(*, user, union, query: str, branch_id: int | None = None,
                 employer_id: int | None = None, workplace_id: int | None = None,
                 limit: int = MATCH_LIMIT) -> PeopleMatch | None:
    """The people of `union` that `user` may see and `query` finds; None for an empty
    query or a requester who may find nobody."""
    query = clean_query(query)
    requester = requester_for(user, union)
    if not query or requester is None:
        return None
    if is_enabled():
        try:
            response = get_client().search(index=alias_name(), body=people_body(
                requester, query, branch_id=branch_id, employer_id=employer_id,
                workplace_id=workplace_id, limit=limit))
            ids = [hit["fields"]["object_id"][0] for hit in response["hits"]["hits"]]
            return PeopleMatch(ids=ids[:limit], capped=len(ids) > limit, engine="elasticsearch")
        except (TransportError, ApiError) as error:
            logger.warning("people search: Elasticsearch failed (%s); using the database", error)
    from .db_engine import _db_people

    return PeopleMatch(queryset=_db_people(requester, user, union, query).order_by().values("pk"))

"""The main search: one API, two engines.

`search()` and `autocomplete()` run on Elasticsearch when `ELASTICSEARCH_URL` is set
and on the database otherwise (PostgreSQL full text, or plain substring matching on
SQLite for the demo). Both apply the same rules, which mirror
`portal.people.scopes.people_visible_to`:

- staff and admins find everything of their union;
- other members find the union's organisation, agreement and content pages (except
  password- or group-restricted ones), the union's current officials, themself, and,
  as officials, the people in the scope of their current positions (members of their
  branch, current employees of their workplace or employer);
- nobody finds anything of another union; anonymous visitors find nothing.

On Elasticsearch these rules are filters inside the query (term filters on the
requester's union, own user id and the few scope page ids of their positions), never a
post-filter of hits and never a long list of ids.

The engines live in `es_engine` and `db_engine`, what they share in `common`; this
module chooses between them and is the API the views, choosers and benchmarks use.
"""

from __future__ import annotations

import logging

from elasticsearch import ApiError, TransportError

from .client import is_enabled
from .common import (  # noqa: F401  (the API of this module)
    GROUP_TYPES,
    KIND_LABEL,
    KIND_LABELS,
    MAX_QUERY_LENGTH,
    Group,
    Hit,
    Requester,
    Results,
    clean_query,
    requester_for,
)
from .db_engine import _db_autocomplete, _db_search
from .documents import KINDS
from .es_engine import (  # noqa: F401
    _es_autocomplete,
    _es_search,
    autocomplete_body,
    search_body,
    visibility_filter,
)

logger = logging.getLogger(__name__)


def search(*, user, union, query: str, kind: str | None = None, offset: int = 0,
           limit: int = 20) -> Results:
    """Results of `query` that `user` may see in `union`, with counts per kind."""
    query = clean_query(query)
    kind = kind if kind in KINDS else None
    requester = requester_for(user, union)
    if not query or requester is None:
        return Results(query=query, hits=[], total=0, facets={}, kind=kind)
    if is_enabled():
        try:
            return _es_search(requester, query, kind, offset, limit)
        except (TransportError, ApiError) as error:
            # Search keeps working on the database while the node is down.
            logger.warning("search: Elasticsearch failed (%s); using the database", error)
    return _db_search(requester, user, union, query, kind, offset, limit)


def autocomplete(*, user, union, query: str, per_group: int = 5) -> list[Group]:
    """Suggestions for a partly typed query, grouped by kind (in KINDS order)."""
    query = clean_query(query)
    requester = requester_for(user, union)
    if not query or requester is None:
        return []
    if is_enabled():
        try:
            return _es_autocomplete(requester, query, per_group)
        except (TransportError, ApiError) as error:
            logger.warning("autocomplete: Elasticsearch failed (%s); using the database", error)
    return _db_autocomplete(requester, user, union, query, per_group)

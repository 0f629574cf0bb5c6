"""The Elasticsearch requests do no work the pages do not use (docs/benchmarks.md,
"Search: the Elasticsearch query profiled"), and dropping it changed no hit, no order
and no count: each result here is compared with the one of the request as it was
before (`track_total_hits: true`, the total read from the hits), on a fixture with
tied scores (namesakes, ordered by object id), two result pages, a kind filter and both
a staff member's and a branch chair's visibility filter."""

from __future__ import annotations

import copy

import pytest

from portal.people.models import PositionKind
from portal.union.models import Role
from search import engine, es_engine
from search.choosers import choice_body
from search.client import get_client
from search.documents import KINDS, alias_name
from search.tests.conftest import sync
from tests.factories import appoint, make_branch, make_employer, make_person, make_union

pytestmark = pytest.mark.django_db

QUERIES = ("Virtanen", "Wirtanen", "Aino Virtanen", "Virtanen Oy")


@pytest.fixture
def corpus(db, es_search):
    union = make_union("cost")
    branch = make_branch(union, "Osasto")
    staff = make_person(union, roles=(Role.STAFF,), first_name="Stina", last_name="Staff")
    chair = make_person(union, branch=branch, first_name="Kalle", last_name="Chair")
    appoint(chair, PositionKind.BRANCH_CHAIR, branch)
    # 24 namesakes: equal scores, so only the object id orders them, across two pages.
    for _ in range(12):
        make_person(union, branch=branch, first_name="Aino", last_name="Virtanen", user=False)
        make_person(union, first_name="Aino", last_name="Virtanen", user=False)
    make_person(union, branch=branch, first_name="Matti", last_name="Virtane", user=False)
    make_employer(union, "Virtanen Oy")
    make_employer(union, "Virta Ab")
    sync()
    return {"union": union, "users": [staff.user, chair.user]}


def _before(body: dict) -> dict:
    """The request as the base revision sent it."""
    body = copy.deepcopy(body)
    if body.get("size") == 0:
        body.pop("track_total_hits", None)  # autocomplete: Elasticsearch's default
    else:
        body["track_total_hits"] = True
    return body


def test_no_request_asks_elasticsearch_to_count_the_hits(corpus):
    requester = engine.requester_for(corpus["users"][0], corpus["union"])
    # The results page takes its total from the facet counts, autocomplete shows none.
    assert engine.search_body(requester, "Virtanen")["track_total_hits"] is False
    assert engine.autocomplete_body(requester, "Vir")["track_total_hits"] is False
    assert choice_body(requester, "Vir", "employer", None, 10)["track_total_hits"] is False


def test_search_results_are_those_of_the_request_before(corpus):
    union, client, compared, tied = corpus["union"], get_client(), 0, 0
    for user in corpus["users"]:
        requester = engine.requester_for(user, union)
        for query in QUERIES:
            for kind in (None, "person", "employer"):
                for offset in (0, 20):
                    found = engine.search(user=user, union=union, query=query, kind=kind,
                                          offset=offset, limit=20)
                    old = client.search(index=alias_name(), body=_before(
                        engine.search_body(requester, query, kind, offset, 20)))
                    hits = old["hits"]["hits"]
                    buckets = {b["key"]: b["doc_count"]
                               for b in old["aggregations"]["kinds"]["buckets"]}
                    assert [(h.kind, h.object_id) for h in found.hits] == [
                        (h["_source"]["kind"], h["_source"]["object_id"]) for h in hits]
                    assert found.total == old["hits"]["total"]["value"]
                    assert found.facets == {k: n for k, n in buckets.items() if k in KINDS}
                    scores = [h["sort"][0] for h in hits]
                    tied += len(scores) - len(set(scores))
                    compared += bool(hits)
    # The comparison is worth something: many result lists, ordered among equal scores.
    assert compared >= 20
    assert tied >= 20


def test_search_total_counts_the_chosen_kind_beyond_the_page(corpus):
    staff = corpus["users"][0]
    found = engine.search(user=staff, union=corpus["union"], query="Aino Virtanen",
                          kind="person", offset=20)
    assert found.total == found.facets["person"] == 24
    assert len(found.hits) == 4


def test_autocomplete_groups_are_those_of_the_request_before(corpus):
    union, client = corpus["union"], get_client()
    for user in corpus["users"]:
        requester = engine.requester_for(user, union)
        for query in ("vi", "Virt", "Virtanen", "Wirtanen"):
            groups = engine.autocomplete(user=user, union=union, query=query)
            old = client.search(index=alias_name(),
                                body=_before(engine.autocomplete_body(requester, query)))
            buckets = {b["key"]: b for b in old["aggregations"]["kinds"]["buckets"]}
            assert [(g.kind, [h.object_id for h in g.hits]) for g in groups] == [
                (k, [es_engine._hit(h["_source"]).object_id
                     for h in buckets[k]["top"]["hits"]["hits"]])
                for k in KINDS if k in buckets]
            assert groups

"""Searching one's own conversation history by words, person and workplace (issue 18
item 3): on the database and inside Elasticsearch, never another's messages."""

from __future__ import annotations

import pytest

from portal.discussions import actions, index
from portal.discussions.search import search_messages

from .conftest import client_for


def _history(a):
    users = a["users"]
    actions.start_conversation(union=a["union"], acting_user=users["member"],
                               recipient_ids=[users["steward"].pk], body="Vuorolista muuttui")
    actions.start_conversation(union=a["union"], acting_user=users["staff"],
                               recipient_ids=[users["other"].pk], body="Vuorolista toisella")
    actions.start_conversation(union=a["union"], acting_user=users["member"],
                               recipient_ids=[users["staff"].pk], body="Jäsenmaksu")


def _found(results):
    return sorted(hit.text for hit in results.hits)


def _checks(a, engine):
    users, union = a["users"], a["union"]
    member = search_messages(user=users["member"], union=union, query="vuorolista")
    assert member.engine == engine and _found(member) == ["Vuorolista muuttui"]
    # Staff find their own conversations only, not the member's with the steward.
    assert _found(search_messages(user=users["staff"], union=union, query="vuorolista")) == [
        "Vuorolista toisella"]
    by_person = search_messages(user=users["member"], union=union, person_id=users["staff"].pk)
    assert _found(by_person) == ["Jäsenmaksu"]
    # The steward and the member work at the workplace: the member's conversation with
    # the steward is found by it, the one with the office is not.
    by_workplace = search_messages(user=users["member"], union=union,
                                   workplace_id=a["workplace"].pk)
    assert _found(by_workplace) == ["Vuorolista muuttui"]
    assert not search_messages(user=users["other"], union=union, query="jasenmaksu").hits


def test_database_search_of_own_history(w):
    a = w["a"]
    _history(a)
    _checks(a, "database")
    page = client_for(a, "member").get("/discussions/search/", {"q": "vuorolista"})
    assert page.status_code == 200 and "Vuorolista muuttui" in page.content.decode()
    # Another union's session finds nothing of A's (its own site, its own union).
    assert not search_messages(user=w["b"]["users"]["staff"], union=a["union"],
                               query="vuorolista").hits


@pytest.mark.elasticsearch
def test_elasticsearch_search_is_filtered_to_the_participant(w, settings, elasticsearch_url):
    from search.client import get_client
    from search.outbox import drain

    settings.ELASTICSEARCH_URL = elasticsearch_url
    index.forget_index()
    index.drop(get_client())
    a = w["a"]
    _history(a)
    drain()
    get_client().indices.refresh(index=index.alias_name())
    _checks(a, "elasticsearch")
    # A deleted message leaves the index.
    message = a["users"]["member"] and search_messages(
        user=a["users"]["member"], union=a["union"], query="jasenmaksu").hits[0]
    from portal.discussions.models import Message

    actions.delete_message(message=Message.objects.get(pk=message.message_id),
                           acting_user=a["users"]["member"])
    drain()
    get_client().indices.refresh(index=index.alias_name())
    assert not search_messages(user=a["users"]["member"], union=a["union"],
                               query="jasenmaksu").hits

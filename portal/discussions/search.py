"""Searching one's own conversation history: by words, by person, by workplace.

On Elasticsearch the query's filter is built inside the engine from the searcher alone:
the union and the searcher's own account id among the message's participants. Without
Elasticsearch (or while it is down) the same search runs on the database from the
searcher's participant rows."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from elasticsearch import ApiError, TransportError

from search.client import get_client, is_enabled

from . import index
from .models import Message, MessageKind, Participant
from .names import anonymous_name, names_of
from .rules import workplace_user_ids

logger = logging.getLogger(__name__)
MAX_WORDS = 8


@dataclass
class Hit:
    message_id: int
    conversation_id: int
    sender_name: str
    text: str
    sent_at: dt.datetime
    kind: str = MessageKind.TEXT


@dataclass
class Results:
    hits: list[Hit]
    total: int
    engine: str


def _with_ids(user, union, person_id, workplace_id) -> list[int] | None:
    """Accounts that must be in the conversation (None: no such filter)."""
    if workplace_id:
        return workplace_user_ids(user, union, workplace_id)
    if person_id:
        return [person_id]
    return None


def search_messages(*, user, union, query: str = "", person_id: int | None = None,
                    workplace_id: int | None = None, limit: int = 20) -> Results:
    words = query.split()[:MAX_WORDS]
    with_ids = _with_ids(user, union, person_id, workplace_id)
    if not words and with_ids is None:
        return Results([], 0, "none")
    if with_ids == []:
        return Results([], 0, "none")
    if is_enabled():
        try:
            return _elasticsearch(user, union, words, with_ids, limit)
        except (TransportError, ApiError) as error:
            logger.warning("message search: Elasticsearch unavailable (%s)", error)
    return _database(user, union, words, with_ids, limit)


def visibility_filter(user, union) -> list[dict]:
    """The searcher's filter: their union, and conversations they take part in."""
    return [{"term": {"union_id": union.pk}}, {"term": {"participant_ids": user.pk}}]


def _elasticsearch(user, union, words, with_ids, limit) -> Results:
    filters = visibility_filter(user, union)
    if with_ids is not None:
        # Another participant than the searcher (a search "by person" for oneself is moot).
        filters.append({"terms": {"participant_ids": [i for i in with_ids if i != user.pk]
                                  or [0]}})
    must = []
    if words:
        must.append({"multi_match": {
            "query": " ".join(words), "operator": "and", "fuzziness": "AUTO",
            "fields": ["body", "body.finnish", "body.swedish", "body.english", "sender_name",
                       "participant_names"]}})
    client = get_client()
    response = client.search(index=index.alias_name(), size=limit, query={
        "bool": {"filter": filters, "must": must or [{"match_all": {}}]}},
        sort=["_score", {"sent_at": "desc"}], source=["conversation_id", "sender_id", "body",
                                                      "sent_at", "sender_name"],
        track_total_hits=True)
    hits = [Hit(int(hit["_id"].split("-")[1]), hit["_source"]["conversation_id"],
                hit["_source"]["sender_name"] or anonymous_name(),
                hit["_source"]["body"][:200], parse_datetime(hit["_source"]["sent_at"]))
            for hit in response["hits"]["hits"]]
    _mark_calls(union, hits)
    return Results(hits, response["hits"]["total"]["value"], "elasticsearch")


def _mark_calls(union, hits: list[Hit]) -> None:
    """A call note has no text: its hit says "called" (the index keeps no kind; one
    query for the page's textless hits, none when every hit has text)."""
    textless = [hit.message_id for hit in hits if not hit.text]
    if not textless:
        return
    calls = set(Message.objects.for_union(union).filter(
        pk__in=textless, kind=MessageKind.CALL).values_list("pk", flat=True))
    for hit in hits:
        if hit.message_id in calls:
            hit.kind = MessageKind.CALL


def _database(user, union, words, with_ids, limit) -> Results:
    mine = Participant.objects.for_union(union).filter(user=user).values("conversation_id")
    messages = Message.objects.for_union(union).filter(conversation_id__in=mine,
                                                       deleted_at__isnull=True)
    if with_ids is not None:
        others = Participant.objects.for_union(union).filter(
            user_id__in=[i for i in with_ids if i != user.pk]).values("conversation_id")
        messages = messages.filter(conversation_id__in=others)
    for word in words:
        messages = messages.filter(Q(body__icontains=word) | Q(sender__first_name__icontains=word)
                                   | Q(sender__last_name__icontains=word)
                                   | Q(sender__person__first_name__icontains=word)
                                   | Q(sender__person__last_name__icontains=word))
    total = messages.count()
    rows = list(messages.order_by("-pk").values_list(
        "pk", "conversation_id", "sender_id", "body", "created_at", "kind")[:limit])
    names = names_of({row[2] for row in rows})
    hits = [Hit(pk, conversation_id, names.get(sender_id) or anonymous_name(), body[:200],
                created_at, kind) for pk, conversation_id, sender_id, body, created_at, kind
            in rows]
    return Results(hits, total, "database")

"""Messages in Elasticsearch: an index of their own, written through the search outbox.

The main index is searched with the union as the only filter for staff; messages are
never in it. Each message document carries the ids of its conversation's participants,
and every query filters on the searcher's own id inside the engine (`search.py`), so a
hit is always a message of the searcher's own conversations."""

from __future__ import annotations

from django.conf import settings
from elasticsearch import NotFoundError

from search.client import is_enabled
from search.outbox import ExtraTarget, enqueue_ids, register_target

TARGET = "message"


def alias_name() -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}-messages"


def _language_text() -> dict:
    return {"type": "text", "analyzer": "portal_folded", "fields": {
        language: {"type": "text", "analyzer": language}
        for language in ("finnish", "swedish", "english")}}


MAPPING = {
    "properties": {
        "union_id": {"type": "integer"},
        "conversation_id": {"type": "integer"},
        "participant_ids": {"type": "integer"},
        "sender_id": {"type": "integer"},
        "sender_name": {"type": "text", "analyzer": "portal_folded"},
        "participant_names": {"type": "text", "analyzer": "portal_folded"},
        "body": _language_text(),
        "sent_at": {"type": "date"},
    }
}


# Indices this process has seen (one existence check per process, not per drain).
_known: set[str] = set()


def ensure_index(client) -> str:
    alias = alias_name()
    if alias in _known:
        return alias
    if not client.indices.exists_alias(name=alias):
        name = f"{alias}-1"
        if not client.indices.exists(index=name):
            client.indices.create(index=name, settings={
                "number_of_shards": 1, "number_of_replicas": 0,
                "analysis": {"analyzer": {"portal_folded": {
                    "type": "custom", "tokenizer": "standard",
                    "filter": ["lowercase", "asciifolding"]}}}},
                mappings=MAPPING)
        client.indices.put_alias(index=name, name=alias)
    _known.add(alias)
    return alias


def forget_index() -> None:
    _known.clear()


def documents(ids) -> dict[int, dict]:
    """Sources of the messages with these ids that are searchable (3 queries a batch)."""
    from .models import Message, Participant
    from .names import names_of

    rows = list(Message.objects.filter(pk__in=list(ids), deleted_at__isnull=True)
                .values_list("pk", "union_id", "conversation_id", "sender_id", "body",
                             "created_at", "sender_anonymised"))
    conversations = {row[2] for row in rows}
    participants: dict[int, list[int]] = {}
    for conversation_id, user_id in Participant.objects.filter(
            conversation_id__in=conversations).values_list("conversation_id", "user_id"):
        participants.setdefault(conversation_id, []).append(user_id)
    names = names_of({u for users in participants.values() for u in users}
                     | {row[3] for row in rows if row[3]})
    docs = {}
    for pk, union_id, conversation_id, sender_id, body, created_at, _anon in rows:
        users = participants.get(conversation_id, [])
        docs[pk] = {
            "union_id": union_id, "conversation_id": conversation_id,
            "participant_ids": users, "sender_id": sender_id,
            "sender_name": names.get(sender_id, ""),
            "participant_names": [names[u] for u in users if u in names],
            "body": body, "sent_at": created_at.isoformat(),
        }
    return docs


def doc_id(pk: int) -> str:
    return f"message-{pk}"


def register() -> None:
    register_target(ExtraTarget(name=TARGET, documents=documents, doc_id=doc_id,
                                index=ensure_index))


def enqueue_messages(ids, *, union_id: int) -> None:
    if ids and is_enabled():
        enqueue_ids(TARGET, ids, union_id=union_id)


def enqueue_conversations(conversation_ids, *, union_id: int) -> None:
    """Every message of these conversations (their participants changed)."""
    from .models import Message

    if conversation_ids and is_enabled():
        enqueue_messages(list(Message.objects.filter(conversation_id__in=conversation_ids)
                              .values_list("pk", flat=True)), union_id=union_id)


def drop(client) -> None:
    forget_index()  # else the next drain would write to a name that is gone
    try:
        for name in client.indices.get_alias(name=alias_name()):
            client.indices.delete(index=name)
    except NotFoundError:
        pass

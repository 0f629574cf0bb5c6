"""The Elasticsearch client and the index behind the alias."""

from __future__ import annotations

import functools

from django.conf import settings
from django.utils import timezone
from elasticsearch import Elasticsearch

from .documents import alias_name, build_index


def is_enabled() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


@functools.lru_cache(maxsize=4)
def _client(url: str) -> Elasticsearch:
    # No retries: a failed send leaves the outbox entry pending, and the next drain retries.
    return Elasticsearch(url, request_timeout=10, max_retries=0, retry_on_timeout=False)


def get_client() -> Elasticsearch:
    return _client(settings.ELASTICSEARCH_URL)


def new_index_name() -> str:
    return f"{alias_name()}-{timezone.now():%Y%m%d%H%M%S%f}"


def create_index(client: Elasticsearch, name: str) -> None:
    build_index(name).create(using=client)


def ensure_alias(client: Elasticsearch) -> str:
    """The alias, made with an empty index the first time (a reindex fills it)."""
    alias = alias_name()
    if not client.indices.exists_alias(name=alias):
        name = new_index_name()
        create_index(client, name)
        client.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])
    return alias


def indices_behind(client: Elasticsearch) -> list[str]:
    alias = alias_name()
    if not client.indices.exists_alias(name=alias):
        return []
    return sorted(client.indices.get_alias(name=alias))


def drop_all(client: Elasticsearch) -> None:
    """Delete every index of this prefix, by name (wildcard deletes are refused in ES 8)."""
    names = client.indices.get(index=f"{alias_name()}-*", ignore_unavailable=True)
    for name in names:
        client.indices.delete(index=name, ignore_unavailable=True)

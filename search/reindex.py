"""Full reindex into a new index, then an atomic alias swap: no downtime.

Searches keep reading the old index through the alias until the swap. Changes made
while the new index is being filled are not lost: the outbox keeps processed entries
for a while, and after the swap the entries made since the start are replayed into
the new index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.utils import timezone
from elasticsearch import helpers

from .client import create_index, get_client, indices_behind, new_index_name
from .documents import alias_name
from .indexing import all_documents
from .outbox import drain, replay_since


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# A bulk request of a few thousand documents may take longer than a search's 10 s on a
# busy node; a reindex that dies halfway leaves only its unfinished new index behind.
BULK_TIMEOUT = 120


def _send(client, actions: list[dict]) -> int:
    sent, _errors = helpers.bulk(client.options(request_timeout=BULK_TIMEOUT), actions,
                                 chunk_size=len(actions), raise_on_error=True)
    return sent


def _done(future: Future, progress) -> int:
    sent = future.result()
    if progress is not None:
        progress(sent)
    return sent


# Merging is proportional to the index size: about 15 s for 783,000 documents.
FORCE_MERGE_TIMEOUT = 1800


@dataclass
class ReindexReport:
    index: str
    documents: int
    replaced: list[str]
    replayed: int


def reindex(*, progress: Callable[[int], None] | None = None,
            chunk_size: int = 2000) -> ReindexReport:
    client = get_client()
    started = timezone.now()
    name = new_index_name()
    create_index(client, name)
    # No refreshes while filling: faster, and nobody reads this index yet.
    client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "-1"}})
    count = 0
    # Documents are read and built in this thread (it holds the database connection);
    # up to two chunks are sent meanwhile by worker threads.
    in_flight: list[Future] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for chunk in _chunks(all_documents(batch_size=chunk_size), chunk_size):
            actions = [{"_index": name, "_id": doc_id, "_source": doc} for doc_id, doc in chunk]
            in_flight.append(pool.submit(_send, client, actions))
            while len(in_flight) >= 2:
                count += _done(in_flight.pop(0), progress)
        while in_flight:
            count += _done(in_flight.pop(0), progress)
    client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=name)
    # Bulk loading leaves a dozen segments; merged into one before anyone reads the
    # index, searches take half the time (p95 44 → 16 ms at 783,000 documents, see
    # docs/benchmarks.md). Later writes of the outbox add small segments as usual.
    client.options(request_timeout=FORCE_MERGE_TIMEOUT).indices.forcemerge(
        index=name, max_num_segments=1)
    alias = alias_name()
    old = indices_behind(client)
    client.indices.update_aliases(actions=[
        {"add": {"index": name, "alias": alias}},
        *({"remove": {"index": index, "alias": alias}} for index in old),
    ])
    for index in old:
        client.indices.delete(index=index, ignore_unavailable=True)
    replayed = replay_since(started)
    drain()
    return ReindexReport(index=name, documents=count, replaced=old, replayed=replayed)

"""The outbox between database writes and Elasticsearch.

Actions call `enqueue(obj)` after a write; the entry is part of the write's
transaction, so it exists exactly when the change does. After the commit a
django-tasks task (`search.tasks.drain_outbox_task`) sends the pending entries in
bulk. When Elasticsearch is down the entries stay pending and the next drain (the
next write, or the periodic `manage.py search_drain`) sends them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from elasticsearch import ApiError, TransportError, helpers
from wagtail.models import Page

from . import contacts
from .client import ensure_alias, get_client, is_enabled
from .documents import page_doc_id, person_doc_id
from .indexing import page_documents, person_documents
from .models import OutboxEntry, OutboxTarget

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
KEEP_PROCESSED = dt.timedelta(days=2)
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class ExtraTarget:
    """Documents of an app above search, in an index of their own (so the main search
    never finds them): the app registers the target from its `ready()` and enqueues ids
    with `enqueue_ids(name, ids)`; the drain sends them like people and pages.
    `documents(ids) -> {id: source}` (a missing id is deleted), `doc_id(id) -> str`,
    `index(client) -> name` (made when missing)."""

    name: str
    documents: object
    doc_id: object
    index: object


_EXTRA: dict[str, ExtraTarget] = {}


def register_target(target: ExtraTarget) -> None:
    _EXTRA[target.name] = target


def _target_of(obj) -> tuple[str, int, int | None]:
    from portal.people.models import Employment, Person, PositionOfTrust

    if isinstance(obj, Person):
        return OutboxTarget.PERSON, obj.pk, obj.union_id
    if isinstance(obj, (Employment, PositionOfTrust)):
        return OutboxTarget.PERSON, obj.person_id, obj.union_id
    if isinstance(obj, Page):
        return OutboxTarget.PAGE, obj.pk, getattr(obj.specific_deferred, "union_id", None)
    raise TypeError(f"{type(obj).__name__} is not searchable")


def enqueue(obj) -> None:
    """Mark a person (or their employment/position) or a page as changed."""
    if not is_enabled():
        return
    target, pk, union_id = _target_of(obj)
    enqueue_ids(target, [pk], union_id=union_id)


def enqueue_ids(target: str, ids: Iterable[int], *, union_id: int | None = None) -> int:
    if not is_enabled():
        return 0
    now = timezone.now()
    entries = OutboxEntry.objects.bulk_create(
        [OutboxEntry(target=target, object_id=pk, union_id=union_id, created_at=now)
         for pk in ids],
        batch_size=5000,
    )
    if entries:
        _drain_after_commit()
    return len(entries)


def _drain_now() -> None:
    from .tasks import drain_outbox_task

    try:
        drain_outbox_task.enqueue()
    except Exception:  # a broken task queue must not break the write that committed
        logger.exception("could not enqueue the search outbox drain")


def _drain_after_commit() -> None:
    # After the commit, so the worker sees the change; a rolled-back write sends nothing.
    transaction.on_commit(_drain_now, robust=True)


@dataclass
class DrainReport:
    sent: int = 0
    failed: int = 0
    pending: int = 0
    unavailable: bool = False


def _documents(entries: list[OutboxEntry]) -> list[dict]:
    """Bulk actions for the entries: index what is searchable, delete what is not."""
    actions = []
    for target, load, doc_id in (
        (OutboxTarget.PERSON, person_documents, person_doc_id),
        (OutboxTarget.PAGE, page_documents, page_doc_id),
    ):
        ids = sorted({e.object_id for e in entries if e.target == target})
        found = load(ids)
        for pk in ids:
            doc = found.get(pk)
            if doc is None:
                actions.append({"_op_type": "delete", "_id": doc_id(pk)})
            else:
                actions.append({"_op_type": "index", "_id": doc_id(pk), "_source": doc})
    return actions


def _extra_documents(client, entries: list[OutboxEntry]) -> list[dict]:
    actions = []
    for name, target in _EXTRA.items():
        ids = sorted({e.object_id for e in entries if e.target == name})
        if not ids:
            continue
        index, found = target.index(client), target.documents(ids)
        for pk in ids:
            doc = found.get(pk)
            action = {"_op_type": "delete" if doc is None else "index", "_index": index,
                      "_id": target.doc_id(pk)}
            if doc is not None:
                action["_source"] = doc
            actions.append(action)
    return actions


def send_entries(client, index: str, entries: list[OutboxEntry]) -> dict[str, str]:
    """Send the entries' documents to `index`; returns {doc id: error} for the failures."""
    actions = _documents(entries)
    # A union page's staff and offices are indexed again with it (search/contacts.py).
    union_pages = contacts.union_page_ids(
        e.object_id for e in entries if e.target == OutboxTarget.PAGE)
    if union_pages:
        fresh = dict(contacts.documents(page_documents(union_pages)))
        # Removed staff members and offices leave the index (the node has no
        # delete_by_query: docs/dev-services.md), found by their union page.
        client.indices.refresh(index=index)
        stale = client.search(index=index, query=contacts.stale_query(union_pages),
                              source=False, size=10_000)["hits"]["hits"]
        actions += [{"_op_type": "delete", "_id": hit["_id"]}
                    for hit in stale if hit["_id"] not in fresh]
        actions += [{"_op_type": "index", "_id": doc_id, "_source": doc}
                    for doc_id, doc in fresh.items()]
    for action in actions:
        action["_index"] = index
    actions += _extra_documents(client, entries)
    errors: dict[str, str] = {}
    for ok, item in helpers.streaming_bulk(
        client, actions, raise_on_error=False, raise_on_exception=True, chunk_size=BATCH_SIZE
    ):
        if ok:
            continue
        (op, result), = item.items()
        if op == "delete" and result.get("status") == 404:
            continue  # already gone: that is what we wanted
        errors[result.get("_id", "")] = str(result.get("error", result))[:1000]
    return errors


def _doc_id(entry: OutboxEntry) -> str:
    if entry.target in _EXTRA:
        return _EXTRA[entry.target].doc_id(entry.object_id)
    if entry.target == OutboxTarget.PERSON:
        return person_doc_id(entry.object_id)
    return page_doc_id(entry.object_id)


def _pending():
    pending = OutboxEntry.objects.filter(processed_at__isnull=True).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        # Two workers never send the same entries.
        pending = pending.select_for_update(skip_locked=True)
    return pending


def drain(*, max_batches: int | None = None) -> DrainReport:
    """Send pending entries in batches until none are left. Safe to run concurrently."""
    report = DrainReport()
    if not is_enabled():
        return report
    client = get_client()
    try:
        alias = ensure_alias(client)
    except (TransportError, ApiError) as error:
        logger.warning("search outbox: Elasticsearch unavailable (%s)", error)
        report.unavailable = True
        report.pending = OutboxEntry.objects.filter(processed_at__isnull=True).count()
        return report
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        with transaction.atomic():
            entries = list(_pending()[:BATCH_SIZE])
            if not entries:
                break
            try:
                errors = send_entries(client, alias, entries)
            except (TransportError, ApiError) as error:
                # The node went away mid-way: leave the batch pending, try again later.
                logger.warning("search outbox: send failed (%s)", error)
                report.unavailable = True
                break
            now = timezone.now()
            done = [e.pk for e in entries if _doc_id(e) not in errors]
            OutboxEntry.objects.filter(pk__in=done).update(processed_at=now)
            report.sent += len(done)
            for entry in entries:
                if _doc_id(entry) in errors:
                    report.failed += 1
                    entry.attempts += 1
                    entry.last_error = errors[_doc_id(entry)]
                    # A document ES refuses again and again is parked (processed, with
                    # its error) rather than blocking the queue.
                    if entry.attempts >= MAX_ATTEMPTS:
                        entry.processed_at = now
                    entry.save(update_fields=["attempts", "last_error", "processed_at"])
            if report.failed and not done:
                break
    OutboxEntry.objects.filter(processed_at__lt=timezone.now() - KEEP_PROCESSED).delete()
    report.pending = OutboxEntry.objects.filter(processed_at__isnull=True).count()
    return report


def replay_since(since: dt.datetime) -> int:
    """Mark entries made since `since` pending again (a reindex replays them)."""
    return OutboxEntry.objects.filter(created_at__gte=since).update(processed_at=None)

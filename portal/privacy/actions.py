"""Producing access exports (issue 17 item 3). Every export, whether answered at once
or queued for the task, and every download of a stored one is audited as an export."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone, translation

from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.people.models import Person

from . import export
from .models import AccessExport

log = logging.getLogger(__name__)
EXPORTED = ("access export",)


def _audit(*, acting_user, person: Person, target: str) -> None:
    record(actor=acting_user, union=person.union, action=AuditAction.EXPORT, person=person,
           fields=EXPORTED, target=target)


def is_small(person: Person) -> bool:
    return export.count_rows(person) <= export.inline_rows()


def export_now(*, person: Person, acting_user, target: str) -> dict:
    """The whole export, built in this request (small enough: see export.INLINE_ROWS)."""
    document, _sections = export.build(person)
    _audit(acting_user=acting_user, person=person, target=target)
    return document


@transaction.atomic
def queue_export(*, person: Person, kind: str, acting_user, target: str) -> AccessExport:
    """A stored export built by the task worker; one waiting export per person and kind
    is enough, so asking again while it is prepared returns the same one."""
    waiting = AccessExport.objects.for_union(person.union).filter(
        person=person, kind=kind, status=AccessExport.Status.QUEUED).first()
    if waiting is not None:
        return waiting
    job = AccessExport.objects.create(
        union=person.union, person=person, kind=kind, requested_by=acting_user,
        rows=export.count_rows(person), language=translation.get_language() or "fi")
    _audit(acting_user=acting_user, person=person, target=target)
    from .tasks import build_export_task

    # Enqueued inside the transaction: the database backend's row commits with the job's.
    build_export_task.enqueue(job.pk)
    return job


def build_queued(export_id: int) -> str:
    """The task: build a queued export and store it."""
    job = AccessExport.objects.select_related("person__union").filter(
        pk=export_id, status=AccessExport.Status.QUEUED).first()
    if job is None:
        return "not queued"
    try:
        with translation.override(job.language):
            document, _sections = export.build(job.person)
    except Exception:
        log.exception("access export %s failed", export_id)
        AccessExport.objects.filter(pk=job.pk).update(status=AccessExport.Status.FAILED,
                                                      finished_at=timezone.now())
        return "failed"
    job.data = document
    job.status = AccessExport.Status.DONE
    job.finished_at = timezone.now()
    job.rows = sum(len(section["rows"]) for section in document["data"])
    job.save(update_fields=["data", "status", "finished_at", "rows"])
    return "done"


def download(*, job: AccessExport, acting_user, target: str) -> dict:
    _audit(acting_user=acting_user, person=job.person, target=target)
    return job.data

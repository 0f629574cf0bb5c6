"""Writes of the imports: uploading a file, choosing its columns, starting a dry run or
the import, and the run itself (in the task worker). Each writes an audit entry."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit.log import AuditAction, record
from portal.register.records import KINDS

from . import fields
from .models import ImportFile, ImportJob, ImportMapping, ImportRowError, ImportStatus
from .processing import Mapper, Totals, missing_required, process
from .reading import FileRejected, Table

log = logging.getLogger(__name__)
MAX_STORED_ERRORS = 10_000  # per run; the counts still count every one


def _target(job: ImportJob) -> str:
    return f"import:{job.pk}"


def remembered_mapping(*, union, kind: str) -> dict[str, str]:
    found = ImportMapping.objects.for_union(union).filter(kind=kind).first()
    return found.columns if found else {}


def upload_file(*, union, kind: str, file_name: str, data: bytes, acting_user) -> ImportJob:
    """Store an uploaded file as a new import of `kind` after reading its header row
    (FileRejected says why a file cannot be read; then nothing is stored)."""
    if kind not in KINDS:
        raise ValidationError(_("Choose the kind of data."))
    table = Table(file_name, data)
    try:
        headers, estimated = table.headers, table.estimated_rows
        rows = table.rows()
        try:
            # A header and nothing under it would "succeed" importing nothing.
            if next(rows, None) is None:
                raise FileRejected(_("The file has no rows under its header row: there is "
                                     "nothing to import."))
        finally:
            rows.close()
    finally:
        table.close()
    suggestion = fields.suggest(KINDS[kind], headers,
                                remembered_mapping(union=union, kind=kind))
    with transaction.atomic():
        _forget_old_files(union)
        job = ImportJob.objects.create(
            union=union, created_by=acting_user, file_name=file_name[:255],
            file_size=len(data), kind=kind, headers=headers, mapping=suggestion,
            total_rows=estimated)
        ImportFile.objects.create(job=job, data=data)
        record(actor=acting_user, union=union, action=AuditAction.CREATE,
               target=_target(job), fields=["file", kind])
    return job


def _forget_old_files(union) -> None:
    """Files uploaded and never imported hold personal data for nothing: a union's next
    upload deletes those older than IMPORTS_KEEP_FILES_DAYS (7)."""
    days = getattr(settings, "IMPORTS_KEEP_FILES_DAYS", 7)
    ImportFile.objects.filter(
        job__union=union, job__created_at__lt=timezone.now() - dt.timedelta(days=days),
    ).exclude(job__status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)).delete()


@transaction.atomic
def choose_columns(*, job: ImportJob, mapping: list[str], acting_user) -> ImportJob:
    """Set the job's column mapping (a field or '' per column) and remember it for the
    union's next file of this kind."""
    if job.is_running or job.status == ImportStatus.DONE:
        raise ValidationError(_("This import has already started."))
    kind = KINDS[job.kind]
    if len(mapping) != len(job.headers) or any(m and m not in kind.by_name for m in mapping):
        raise ValidationError(_("Choose a field or leave the column out."))
    chosen = [m for m in mapping if m]
    if len(chosen) != len(set(chosen)):
        raise ValidationError(_("Each field can be chosen for one column only."))
    missing = missing_required(job.kind, mapping)
    if missing:
        raise ValidationError(_("Choose a column for every required field: %(fields)s.") % {
            "fields": ", ".join(fields.label(job.kind, name) for name in missing)})
    job.mapping = mapping
    job.status = ImportStatus.MAPPED
    job.save(update_fields=["mapping", "status"])
    remembered, _created = ImportMapping.objects.get_or_create(union=job.union, kind=job.kind)
    remembered.columns = {**remembered.columns, **{
        fields.normalise(header): field
        for header, field in zip(job.headers, mapping, strict=True)
        if fields.normalise(header)}}  # a column without a name is not remembered
    remembered.save()
    record(actor=acting_user, union=job.union, action=AuditAction.EDIT, target=_target(job),
           fields=["mapping"])
    return job


@transaction.atomic
def start_run(*, job: ImportJob, dry_run: bool, acting_user) -> ImportJob:
    """Queue a dry run of the whole file, or the import. Runs in the task worker."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in (ImportStatus.MAPPED, ImportStatus.CHECKED) and not job.is_stalled:
        raise ValidationError(_("This import cannot be started now."))
    job.errors.all().delete()
    job.status, job.dry_run, job.run = ImportStatus.QUEUED, dry_run, job.run + 1
    job.processed_rows = job.created = job.updated = job.unchanged = 0
    job.rejected = job.error_count = 0
    job.message, job.started_at, job.finished_at, job.heartbeat_at = "", None, None, None
    job.save()
    record(actor=acting_user, union=job.union, action=AuditAction.EDIT, target=_target(job),
           fields=["dry_run" if dry_run else "import"])
    job_id = job.pk
    transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_import_task

    run_import_task.enqueue(job_id)


def run_job(job_id: int) -> str:
    """The task (see _run): in the union's language, which its admin is shown in, since
    the reasons for rejected rows are stored as text."""
    union_language = (ImportJob.objects.filter(pk=job_id)
                      .values_list("union__default_language", flat=True).first())
    with translation.override(union_language or settings.LANGUAGE_CODE):
        return _run(job_id)


class Superseded(Exception):
    """The run was started again (after it stalled): this one stops and writes nothing."""


def _run(job_id: int) -> str:
    job = claim(job_id)
    return "not queued" if job is None else execute(job)


def claim(job_id: int) -> ImportJob | None:
    """Take a queued job for this worker (None if it is not queued: a task enqueued
    twice runs once). The job carries the number of the run claimed (`job.run`)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(),
        total_rows=None)
    if not claimed:
        return None
    return ImportJob.objects.select_related("union", "created_by").get(pk=job_id)


def _this_run(job: ImportJob):
    return ImportJob.objects.filter(pk=job.pk, run=job.run)


def execute(job: ImportJob) -> str:
    """The claimed run: read the file once through (so that a damaged file or one past
    the row limit fails before anything is written), then send its rows batch by batch,
    updating the progress after each."""
    try:
        data = bytes(ImportFile.objects.get(job=job).data)
        table = Table(job.file_name, data)
        try:
            total = sum(1 for _row in table.rows())
            if not _this_run(job).update(total_rows=total, heartbeat_at=timezone.now()):
                raise Superseded
            mapper = Mapper(job.kind, job.headers, job.mapping)
            totals = process(union=job.union, table=table, mapper=mapper,
                             acting_user=job.created_by, dry_run=job.dry_run,
                             after_batch=lambda t: _progress(job, t))
        finally:
            table.close()
    except Superseded:
        log.warning("import %s: run %s was started again; it stops", job.pk, job.run)
        return "superseded"
    except (FileRejected, ImportFile.DoesNotExist) as error:
        message = (str(error) if isinstance(error, FileRejected)
                   else _("The file is no longer stored. Upload it again."))
        message = f"{message} {_('Nothing was saved from the file.')}"
        return _finish(job, status=ImportStatus.FAILED, message=message)
    except Exception:
        log.exception("import %s failed", job.pk)
        return _finish(job, status=ImportStatus.FAILED,
                       message=_("The import stopped because of an error in the portal. "
                                 "Rows already saved stay saved; try the rest again."))
    return _finish(job, status=ImportStatus.CHECKED if job.dry_run else ImportStatus.DONE,
                   totals=totals)


@transaction.atomic
def _progress(job: ImportJob, totals: Totals) -> None:
    """Store the batch's problems (up to MAX_STORED_ERRORS) and the counts so far, if
    the run is still the job's latest (the row lock orders this against start_run)."""
    if not list(_this_run(job).select_for_update().values_list("pk", flat=True)):
        raise Superseded
    problems, totals.problems = totals.problems, []
    stored = ImportRowError.objects.filter(job=job).count() if problems else 0
    room = max(MAX_STORED_ERRORS - stored, 0)
    if problems and room:
        ImportRowError.objects.bulk_create(
            ImportRowError(job=job, row=p.row, column=p.column[:200], reason=p.reason,
                           value=p.value) for p in problems[:room])
    _this_run(job).update(
        processed_rows=totals.rows, created=totals.created, updated=totals.updated,
        unchanged=totals.unchanged, rejected=totals.rejected,
        error_count=F("error_count") + len(problems), heartbeat_at=timezone.now())


def _finish(job: ImportJob, *, status: str, message: str = "", totals: Totals | None = None):
    now = timezone.now()
    values = {"status": status, "message": message, "finished_at": now}
    if status == ImportStatus.DONE:
        values["imported_at"] = now
    if not _this_run(job).update(**values):
        return "superseded"  # a later run owns the job, its counts and its file
    if status in (ImportStatus.DONE, ImportStatus.FAILED):
        # The file holds personal data: kept only while it may still be imported.
        ImportFile.objects.filter(job=job).delete()
    fields_ = [job.kind, status]
    if totals is not None:
        fields_ += [f"created={totals.created}", f"updated={totals.updated}",
                    f"unchanged={totals.unchanged}", f"rejected={totals.rejected}"]
    record(actor=job.created_by, union=job.union,
           action=AuditAction.CREATE if status == ImportStatus.DONE else AuditAction.EDIT,
           target=_target(job), fields=fields_)
    return status

"""An import of a staff member's file, its remembered column mapping and its row errors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.union.tenancy import UnionOwnedModel


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", pgettext_lazy("import status", "Columns not yet chosen")
    MAPPED = "mapped", pgettext_lazy("import status", "Ready")
    QUEUED = "queued", pgettext_lazy("import status", "Waiting to start")
    RUNNING = "running", pgettext_lazy("import status", "Running")
    CHECKED = "checked", pgettext_lazy("import status", "Dry run done")
    DONE = "done", pgettext_lazy("import status", "Imported")
    FAILED = "failed", pgettext_lazy("import status", "Failed")


class ImportJob(UnionOwnedModel):
    """One uploaded file and what became of it. The file's bytes are in `ImportFile`
    (a table of their own, so lists never load them) and are deleted once imported."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("size"), default=0)
    kind = models.CharField(_("kind of data"), max_length=16)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=list)  # a field name or '' per column
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices,
                              default=ImportStatus.UPLOADED)
    dry_run = models.BooleanField(default=False)  # what the last (or current) run is
    # Counts the starts: a run writes its counts and rows only while it is the job's
    # latest, so a stalled run that wakes up after a restart cannot mix into the next.
    run = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(null=True)  # null until the file is counted
    processed_rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    error_count = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)  # why the file failed as a whole
    started_at = models.DateTimeField(null=True)
    heartbeat_at = models.DateTimeField(null=True)  # a running task's last sign of life
    finished_at = models.DateTimeField(null=True)
    imported_at = models.DateTimeField(_("imported"), null=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["union", "-created_at"])]

    def __str__(self) -> str:
        return self.file_name

    @property
    def kind_label(self) -> str:
        from portal.register.records import KINDS

        kind = KINDS.get(self.kind)
        return capfirst(kind.label) if kind else self.kind

    @property
    def is_stalled(self) -> bool:
        """Running, but with no batch done for long: its task worker was stopped or
        restarted mid-run (a task is not resumed). It may be started again."""
        if self.status != ImportStatus.RUNNING or self.heartbeat_at is None:
            return False
        limit = getattr(settings, "IMPORTS_STALLED_AFTER_SECONDS", 900)
        return (timezone.now() - self.heartbeat_at).total_seconds() > limit

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING) and not self.is_stalled


class ImportFile(models.Model):
    job = models.OneToOneField(ImportJob, on_delete=models.CASCADE, primary_key=True,
                               related_name="file")
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"file of import {self.job_id}"


class ImportRowError(models.Model):
    """One reason a row of the file was (or in a dry run would be) rejected."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="errors")
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=200, blank=True)
    reason = models.TextField(_("reason"))
    value = models.TextField(_("value"), blank=True)

    class Meta:
        ordering = ["job", "row", "pk"]

    def __str__(self) -> str:
        return f"{self.row} {self.column}: {self.reason}"


class ImportMapping(UnionOwnedModel):
    """The columns a union mapped last time for a kind: normalised header → field."""

    kind = models.CharField(max_length=16)
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["union", "kind"],
                                               name="unique_import_mapping_per_union_kind")]

    def __str__(self) -> str:
        return f"{self.union_id} {self.kind}"

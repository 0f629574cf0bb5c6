"""An access export produced for a person (issue 17 item 3): kept so that a large one,
built by a task, can be downloaded when it is done."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel

# A finished export can be downloaded this long; then it is only listed as expired.
DOWNLOAD_DAYS = 7


class AccessExport(UnionOwnedModel):
    class Kind(models.TextChoices):
        OWN = "own", _("Requested by the person")
        STAFF = "staff", _("Produced by staff")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Failed")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="access_exports")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    rows = models.PositiveIntegerField(default=0)
    # The labels in the file are in the language of whoever asked (the task has no request).
    language = models.CharField(max_length=8, default="fi")
    data = models.JSONField(null=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("access export")
        verbose_name_plural = _("access exports")

    @property
    def downloadable(self) -> bool:
        return (self.status == self.Status.DONE and self.finished_at is not None
                and timezone.now() - self.finished_at < timedelta(days=DOWNLOAD_DAYS))

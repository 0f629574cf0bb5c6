from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel


class Trigger(models.TextChoices):
    SYNC = "sync", _("After a register sync")
    MANUAL = "manual", _("Refreshed by hand")
    COMMAND = "command", _("Management command")


class QualitySnapshot(UnionOwnedModel):
    """One run of the data-quality checks of a union: the count each check found. The
    report compares the newest snapshot with the one before it (the trend)."""

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices)
    counts = models.JSONField(_("counts"), default=dict)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("data-quality snapshot")
        verbose_name_plural = _("data-quality snapshots")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["union", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.union_id} {self.created_at:%Y-%m-%d %H:%M}"

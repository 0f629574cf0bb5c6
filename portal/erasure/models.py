"""Erasure (issue 17 item 4): a union's retention setting and the record each erasure
leaves (a pseudonym and counts: nothing of the person)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel


class RetentionPolicy(models.Model):
    """How long a union keeps a former member's data. Off until an admin turns it on:
    anonymising people is irreversible, so no default period is applied by surprise."""

    union = models.OneToOneField("union.Union", on_delete=models.CASCADE,
                                 related_name="retention_policy")
    enabled = models.BooleanField(_("anonymise former members automatically"), default=False)
    years_after_membership_end = models.PositiveSmallIntegerField(
        _("years after membership ended"), default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("A former member's data is anonymised this many years after their "
                    "membership ended (the day their membership was valid until)."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.union_id}: {self.years_after_membership_end if self.enabled else '-'}"


class ErasureRecord(UnionOwnedModel):
    """One erasure: its pseudonym (the same the audit log now shows for the person) and
    how many rows of each model went or were anonymised. No name, no id of the person."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("Erasure request")
        RETENTION = "retention", _("Retention period ended")

    pseudonym = models.CharField(_("pseudonym"), max_length=24, unique=True)
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    erased_at = models.DateTimeField(_("erased"), auto_now_add=True)
    # [{"model": label, "title": str, "erased": n, "anonymised": n}]
    counts = models.JSONField(default=list)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return self.pseudonym

"""Who is the union's data protection officer, and what the union lets members see.

A model of its own rather than a fifth Role: a Role is a Django group carrying model and
page permissions, and the DPO needs none of those — only the right to read the audit
log — while the DPO is usually also staff or admin (roles are one per group, so a DPO
role would have to stack on top). One row per designated account keeps it explicit and
auditable; `selectors.is_dpo` is the one check."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionScopedQuerySet


class DataProtectionOfficer(models.Model):
    union = models.ForeignKey("union.Union", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("account"))
    designated_at = models.DateTimeField(_("designated"), auto_now_add=True)
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                      on_delete=models.SET_NULL, related_name="+")

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("data protection officer")
        verbose_name_plural = _("data protection officers")
        constraints = [models.UniqueConstraint(fields=["union", "user"], name="one_dpo_row")]

    def __str__(self) -> str:
        return str(self.user)


class DpoSettings(models.Model):
    union = models.OneToOneField("union.Union", on_delete=models.CASCADE, related_name="+")
    show_viewers_to_members = models.BooleanField(
        _("members see who viewed their data"), default=False,
        help_text=_("A member's profile lists the officials who viewed their data; staff "
                    "are shown as union staff."))

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("data protection settings")
        verbose_name_plural = _("data protection settings")

    def __str__(self) -> str:
        return f"{self.union_id}: {self.show_viewers_to_members}"

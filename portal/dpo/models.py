"""Who is the union's data protection officer, and what the union lets members see.

A model of its own rather than a fifth Role: a Role is a Django group carrying model and
page permissions, and the DPO needs none of those — only the right to read the audit
log — while the DPO is usually also staff or admin (roles are one per group, so a DPO
role would have to stack on top). One row per designated account keeps it explicit and
auditable; `selectors.is_dpo` is the one check."""

from datetime import timedelta

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


class AlertKind(models.TextChoices):
    MANY_VIEWS = "many_views", _("Far more profiles viewed than usual for the role")
    OFF_HOURS = "off_hours", _("Bulk reads outside working hours")
    MANY_EXPORTS = "many_exports", _("Many exports")


class Alert(models.Model):
    """A suspicion raised by the background scan of the audit log (alerts.py) for the
    union's data protection officers, with the evidence it rests on."""

    union = models.ForeignKey("union.Union", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("account"))
    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    count = models.PositiveIntegerField(_("count"))
    first_at = models.DateTimeField(_("first"))
    last_at = models.DateTimeField(_("last"))
    evidence = models.JSONField(_("evidence"), default=dict)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("misuse alert")
        verbose_name_plural = _("misuse alerts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["union", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.actor_id} {self.count}"


class ScanMark(models.Model):
    """How far the scan has read the audit log (the last entry id): one row."""

    last_entry_id = models.BigIntegerField(default=0)
    scanned_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return str(self.last_entry_id)


class BreachWorksheet(models.Model):
    """A suspected personal-data breach worked through by the union's data protection
    officer (GDPR art. 33): what happened, whose account, how many people and what data,
    the 72 hours from becoming aware to the report to the authority (Tietosuojavaltuutettu),
    the measures, and whether the people were informed (art. 34). Started from a misuse
    alert (prefilled from its evidence) or without one. Art. 33(5) asks the controller to
    document every breach, so the rows are kept (anonymised, not erased)."""

    union = models.ForeignKey("union.Union", on_delete=models.CASCADE, related_name="+")
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="worksheets", verbose_name=_("misuse alert"))
    what_happened = models.TextField(_("what happened"))
    account = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("account involved"))
    people_affected = models.PositiveIntegerField(_("people affected"), null=True, blank=True)
    data_categories = models.JSONField(_("kinds of data"), default=list, blank=True)
    discovered_at = models.DateTimeField(_("the union became aware"))
    measures = models.TextField(_("measures taken"), blank=True)
    reported_at = models.DateTimeField(_("reported to the authority"), null=True, blank=True)
    authority_reference = models.CharField(_("the authority's reference"), max_length=100,
                                           blank=True)
    not_reported_reason = models.TextField(_("why not reported"), blank=True)
    people_informed_at = models.DateTimeField(_("people informed"), null=True, blank=True)
    informing_note = models.TextField(_("how people were informed, or why not"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = UnionScopedQuerySet.as_manager()

    # Art. 33(1): to the supervisory authority within 72 hours of becoming aware.
    DEADLINE = timedelta(hours=72)

    class Meta:
        verbose_name = _("breach worksheet")
        verbose_name_plural = _("breach worksheets")
        ordering = ["-discovered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.union_id}: {self.discovered_at:%Y-%m-%d %H:%M}"

    @property
    def deadline(self):
        return self.discovered_at + self.DEADLINE

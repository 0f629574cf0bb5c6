from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.union.tenancy import UnionScopedQuerySet


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    EDIT = "edit", _("Edited")
    CREATE = "create", _("Created")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    GRANT = "grant", _("Granted")
    REVOKE = "revoke", _("Revoked")
    ACTIVATE = "activate", _("Activated")
    LOCK = "lock", _("Locked")
    ERASE = "erase", pgettext_lazy("audit action", "Erased")


class AppendOnlyError(RuntimeError):
    pass


class AuditEntry(models.Model):
    """One append-only record of processing personal data or changing rights (G-2, S-7).

    `person_id` is a plain integer, not a foreign key, so that the record of what was
    done to a person survives the person's erasure. On PostgreSQL a trigger refuses
    UPDATE and DELETE on the table, so not even a bug in our code can rewrite history.
    """

    union = models.ForeignKey(
        "union.Union", null=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_id = models.BigIntegerField(_("person"), null=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    target = models.CharField(_("target"), max_length=200, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # Set when the person (or the acting account) is erased (portal/erasure): the id is
    # cleared and a random pseudonym, the same for all of that erasure's entries, stays.
    person_pseudonym = models.CharField(_("erased person"), max_length=24, blank=True,
                                        db_default="")
    actor_pseudonym = models.CharField(_("erased account"), max_length=24, blank=True,
                                       db_default="")

    objects = UnionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["union", "person_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

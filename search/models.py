"""The search outbox: changes waiting to be sent to Elasticsearch."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxTarget(models.TextChoices):
    PERSON = "person", _("Person")
    PAGE = "page", _("Page")


class OutboxEntry(models.Model):
    """"Person 12 (or page 34) changed": written in the same transaction as the change.

    An entry names a row, not an operation: the worker re-reads the row and indexes it,
    or removes its document when the row is gone or no longer searchable. Entries are
    marked processed only after Elasticsearch accepted them, so nothing is lost while
    the node is down; processed entries are kept a while so that a reindex can replay
    the changes made while it ran.
    """

    target = models.CharField(_("target"), max_length=8, choices=OutboxTarget.choices)
    object_id = models.BigIntegerField(_("object id"))
    # The union of the row, as a plain column: the row may be gone by the time it is sent.
    union_id = models.BigIntegerField(_("union"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox entries")
        indexes = [
            models.Index(fields=["processed_at", "id"], name="search_outbox_pending"),
            models.Index(fields=["created_at"], name="search_outbox_created"),
        ]

    def __str__(self) -> str:
        return f"{self.target}:{self.object_id}"

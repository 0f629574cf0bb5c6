"""Notification preferences and system messages. The notifications themselves are
`activity.ActivityEvent` rows of a notification kind (docs/discussions.md,
"Notifications", says why)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel

from .kinds import Delivery


class NotificationPreference(UnionOwnedModel):
    """How a person wants one kind of notification emailed. No row means the kind's
    default (kinds.KINDS)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=16)
    delivery = models.CharField(_("email"), max_length=8, choices=Delivery.choices)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["person", "kind"],
                                               name="one_notification_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind}={self.delivery}"

"""Bulletin sends, one delivery record per recipient, and per-person email flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.union.tenancy import UnionOwnedModel


class EmailStatus(UnionOwnedModel):
    """Whether a person may be emailed bulletins. Kept here, not on Person, so the
    messaging feature owns its flags. No row means: may be emailed."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="email_status"
    )
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("address bounced"), null=True, blank=True)
    bounced_address = models.EmailField(_("bounced address"), blank=True)
    bounce_reason = models.CharField(_("bounce reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("email status")
        verbose_name_plural = _("email statuses")

    def __str__(self) -> str:
        return f"{self.person_id}: unsubscribed={self.unsubscribed_at} bounced={self.bounced_at}"


class SendStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class BulletinSend(UnionOwnedModel):
    """One sending of a bulletin to an audience. A bulletin is sent at most once."""

    bulletin = models.OneToOneField(
        "branches.BulletinPage", on_delete=models.CASCADE, related_name="send"
    )
    # {"statuses": [...], "workplaces": [ids], "employers": [ids], "languages": [...]}
    audience = models.JSONField(_("audience"), default=dict, blank=True)
    # Audience.whole_branch of `audience`, as a column so that the bulletin visibility
    # rule (portal/branches/visibility.py) is one indexed filter.
    whole_branch = models.BooleanField(_("whole branch"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=SendStatus.choices, default=SendStatus.QUEUED
    )
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Set in the same transaction that creates the deliveries, so the recipient list
    # is fixed exactly once, when sending starts (not when it was scheduled).
    queued_at = models.DateTimeField(_("recipients listed"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # A worker holds the send while lease_until is in the future; a killed worker's
    # lease runs out and the next run resumes where it stopped.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    lease_token = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("bulletin sending")
        verbose_name_plural = _("bulletin sendings")
        indexes = [models.Index(fields=["status", "scheduled_for"])]

    def __str__(self) -> str:
        return f"{self.bulletin_id}: {self.status}"

    @property
    def cancellable(self) -> bool:
        """Scheduled, waiting or sending: it can still be cancelled (or stopped)."""
        return self.status in CANCELLABLE

    @property
    def may_send_again(self) -> bool:
        """Cancelled before any recipient was listed: nobody got anything, so the
        bulletin may be sent (or scheduled) anew."""
        return self.status == SendStatus.CANCELLED and self.queued_at is None


CANCELLABLE = (SendStatus.SCHEDULED, SendStatus.QUEUED, SendStatus.SENDING)


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Claimed by a worker, handed to the mail server next. A delivery found in this
    # state after a crash may or may not have gone out; it is never retried.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")
    SKIPPED = "skipped", _("Skipped")
    # Still queued when the send was cancelled: never handed over.
    CANCELLED = "cancelled", _("Cancelled")


class SkipReason(models.TextChoices):
    NONE = "", _("–")
    NO_ADDRESS = "no_address", _("No email address")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Address bounced before")


class Delivery(UnionOwnedModel):
    """One recipient of one bulletin send; unique per (send, person), so a person can
    never be queued twice, and the status moves forward only."""

    send = models.ForeignKey(BulletinSend, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    skip_reason = models.CharField(
        _("skipped because"), max_length=16, choices=SkipReason.choices, blank=True
    )
    message_id = models.CharField(max_length=200, blank=True, db_index=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["send", "person"], name="one_delivery_per_person")
        ]
        indexes = [models.Index(fields=["send", "status"])]

    def __str__(self) -> str:
        return f"{self.send_id}/{self.person_id}: {self.status}"

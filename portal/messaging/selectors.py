"""Reads for the send and report views. Functions returning people write audit entries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from portal.audit.log import AuditAction, record_many
from portal.people.scopes import people_visible_to

from .audience import Audience, audience_people
from .models import BulletinSend, DeliveryStatus, SkipReason

SAMPLE_SIZE = 10
SAMPLE_FIELDS = ("name", "email", "preferred_language")


def audience_sample(*, request, branch, audience: Audience, size: int = SAMPLE_SIZE) -> list:
    """A few recipients, only among people the sender may see anyway; logged."""
    people = list(
        audience_people(branch, audience)
        .filter(pk__in=people_visible_to(request.user, request.union).values("pk"))
        .order_by("last_name", "first_name", "pk")
        .only("pk", "first_name", "last_name", "email", "preferred_language")[:size]
    )
    record_many(actor=request.user, union=request.union, action=AuditAction.LIST,
                people=people, fields=SAMPLE_FIELDS, target=request.path)
    return people


@dataclass
class SendReport:
    recipients: int
    queued: int
    sent: int
    failed: int
    bounced: int
    skipped: int
    unsubscribed: int
    cancelled: int


def report_for(send: BulletinSend) -> SendReport:
    """Counts only, so the report shows no person data."""
    counts = send.deliveries.aggregate(
        recipients=Count("pk"),
        queued=Count("pk", filter=Q(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.SENDING])),
        sent=Count("pk", filter=Q(status=DeliveryStatus.SENT)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        bounced=Count("pk", filter=Q(status=DeliveryStatus.BOUNCED)),
        skipped=Count("pk", filter=Q(status=DeliveryStatus.SKIPPED)),
        unsubscribed=Count("pk", filter=Q(skip_reason=SkipReason.UNSUBSCRIBED)
                           | Q(unsubscribed_at__isnull=False)),
        cancelled=Count("pk", filter=Q(status=DeliveryStatus.CANCELLED)),
    )
    return SendReport(**counts)

"""Writes of the messaging feature: starting and cancelling a send, unsubscribing,
bounce flags."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.log import AuditAction, record
from portal.branches.models import BulletinPage

from .audience import Audience
from .models import BulletinSend, Delivery, DeliveryStatus, EmailStatus, SendStatus
from .rules import cancel_refusal, send_refusal, workflow_of
from .sending import INTERRUPTED


@transaction.atomic
def send_bulletin(
    *, bulletin: BulletinPage, audience: Audience, acting_user, send_at: dt.datetime | None = None,
) -> BulletinSend:
    """Publish the bulletin (unless an approval workflow already did) and send it to
    `audience` now or at `send_at`. A bulletin is sent once: a second call refuses,
    unless the first sending was cancelled before any recipient was listed."""
    refusal = send_refusal(bulletin, acting_user)
    if refusal:
        raise PermissionDenied(refusal)
    audience.validate(bulletin.union)
    existing = BulletinSend.objects.select_for_update().filter(bulletin=bulletin).first()
    if existing is not None:
        if not existing.may_send_again:
            raise ValidationError(_("This bulletin has already been sent or scheduled."))
        # Nobody got anything from it; the audit log keeps its history.
        record(actor=acting_user, union=bulletin.union, action=AuditAction.DELETE,
               target=f"bulletin-send:{existing.pk}")
        existing.delete()
    if workflow_of(bulletin) is None and (not bulletin.live or bulletin.has_unpublished_changes):
        revision = bulletin.get_latest_revision() or bulletin.save_revision(user=acting_user)
        revision.publish(user=acting_user)
        bulletin.refresh_from_db()
    scheduled = send_at is not None and send_at > timezone.now()
    send = BulletinSend.objects.create(
        union=bulletin.union, bulletin=bulletin, audience=audience.to_json(),
        whole_branch=audience.whole_branch,
        status=SendStatus.SCHEDULED if scheduled else SendStatus.QUEUED,
        scheduled_for=send_at if scheduled else None, created_by=acting_user,
    )
    record(actor=acting_user, union=bulletin.union, action=AuditAction.CREATE,
           target=f"bulletin-send:{send.pk}", fields=sorted(audience.to_json()))
    if not scheduled:
        transaction.on_commit(lambda: enqueue(send.pk))
    return send


def enqueue(send_id: int) -> None:
    from .tasks import send_bulletin_task

    send_bulletin_task.enqueue(send_id)


@transaction.atomic
def cancel_send(*, send: BulletinSend, acting_user) -> int:
    """Cancel a scheduled sending before it starts, or stop one that is waiting or
    under way. Returns how many recipients will now not get the email.

    Every delivery still queued becomes cancelled in one statement. The sending loop
    claims each delivery with a conditional UPDATE (queued -> sending) before handing it
    over, so a delivery is either claimed first (it goes out, and stays sent) or
    cancelled first (it is never claimed): nothing is half-sent and nothing is sent
    after the cancellation commits, except the one message a worker may be handing
    over at that very moment. The worker notices at its next lease renewal and stops;
    `manage.py send_bulletins` and the task skip cancelled sends. The send row stays,
    as cancelled, so the report shows what went out."""
    refusal = cancel_refusal(send.bulletin, acting_user)
    if refusal:
        raise PermissionDenied(refusal)
    # Locks the send against a concurrent start (queue_deliveries, start_due_sends).
    send = BulletinSend.objects.select_for_update().get(pk=send.pk)
    if not send.cancellable:
        raise ValidationError(_("This sending has finished or was cancelled already."))
    now = timezone.now()
    cancelled = send.deliveries.filter(status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.CANCELLED)
    if send.lease_until is None or send.lease_until < now:
        # No live worker holds the send: a delivery left "sending" was interrupted by a
        # crash and would have been marked so by the next run, which will now not come.
        send.deliveries.filter(status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED, error=INTERRUPTED)
    send.status = SendStatus.CANCELLED
    send.cancelled_at = now
    send.cancelled_by = acting_user
    send.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    record(actor=acting_user, union=send.union, action=AuditAction.EDIT,
           target=f"bulletin-send:{send.pk}", fields=["status"])
    return cancelled


def start_due_sends(now: dt.datetime | None = None) -> list[int]:
    """Scheduled sends whose time has come, and sends a dead worker left behind
    (lease expired), are enqueued again. Run every minute (manage.py send_bulletins).
    Cancelled and finished sends are never picked up."""
    now = now or timezone.now()
    with transaction.atomic():
        # Locked, so a cancellation committing meanwhile is seen (and wins).
        due = list(BulletinSend.objects.select_for_update()
                   .filter(status=SendStatus.SCHEDULED, scheduled_for__lte=now)
                   .values_list("pk", flat=True))
        BulletinSend.objects.filter(pk__in=due, status=SendStatus.SCHEDULED).update(
            status=SendStatus.QUEUED)
    stalled = list(
        BulletinSend.objects.filter(status__in=[SendStatus.QUEUED, SendStatus.SENDING])
        .exclude(pk__in=due).exclude(lease_until__gte=now).values_list("pk", flat=True)
    )
    for send_id in due + stalled:
        enqueue(send_id)
    return due + stalled


@transaction.atomic
def unsubscribe_person(*, person, delivery_id: int | None = None, acting_user=None) -> bool:
    """Stop bulletin emails to `person` (the timeline still shows bulletins)."""
    status, _created = EmailStatus.objects.select_for_update().get_or_create(
        person=person, defaults={"union": person.union})
    if status.unsubscribed_at is not None:
        return False
    now = timezone.now()
    status.unsubscribed_at = now
    status.save(update_fields=["unsubscribed_at"])
    if delivery_id is not None:
        Delivery.objects.filter(pk=delivery_id, person=person).update(unsubscribed_at=now)
    record(actor=acting_user, union=person.union, action=AuditAction.EDIT, person=person,
           fields=["email_unsubscribed"], target="unsubscribe")
    return True


@transaction.atomic
def resubscribe_person(*, person, acting_user) -> None:
    """The person themself (or staff) switches bulletin emails back on."""
    EmailStatus.objects.filter(person=person).update(unsubscribed_at=None)
    record(actor=acting_user, union=person.union, action=AuditAction.EDIT, person=person,
           fields=["email_unsubscribed"], target="resubscribe")


@transaction.atomic
def flag_bounced(*, person, address: str, reason: str = "", acting_user=None) -> None:
    """The address bounced: skip it until the person's address changes."""
    status, _created = EmailStatus.objects.select_for_update().get_or_create(
        person=person, defaults={"union": person.union})
    status.bounced_at = timezone.now()
    status.bounced_address = address
    status.bounce_reason = reason[:300]
    status.save(update_fields=["bounced_at", "bounced_address", "bounce_reason"])
    record(actor=acting_user, union=person.union, action=AuditAction.EDIT, person=person,
           fields=["email_bounced"], target="bounce")

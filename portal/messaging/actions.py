"""Writes of the messaging feature: starting a send, unsubscribing, bounce flags."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.log import AuditAction, record
from portal.branches.models import BulletinPage

from .audience import Audience
from .models import BulletinSend, Delivery, EmailStatus, SendStatus
from .rules import send_refusal, workflow_of


@transaction.atomic
def send_bulletin(
    *, bulletin: BulletinPage, audience: Audience, acting_user, send_at: dt.datetime | None = None,
) -> BulletinSend:
    """Publish the bulletin (unless an approval workflow already did) and send it to
    `audience` now or at `send_at`. A bulletin is sent once: a second call refuses."""
    refusal = send_refusal(bulletin, acting_user)
    if refusal:
        raise PermissionDenied(refusal)
    audience.validate(bulletin.union)
    if BulletinSend.objects.filter(bulletin=bulletin).exists():
        raise ValidationError(_("This bulletin has already been sent or scheduled."))
    if workflow_of(bulletin) is None and (not bulletin.live or bulletin.has_unpublished_changes):
        revision = bulletin.get_latest_revision() or bulletin.save_revision(user=acting_user)
        revision.publish(user=acting_user)
        bulletin.refresh_from_db()
    scheduled = send_at is not None and send_at > timezone.now()
    send = BulletinSend.objects.create(
        union=bulletin.union, bulletin=bulletin, audience=audience.to_json(),
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
def cancel_send(*, send: BulletinSend, acting_user) -> None:
    """Cancel a scheduled send that has not started."""
    if send_refusal(send.bulletin, acting_user):
        raise PermissionDenied
    if send.status != SendStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled sending can be cancelled."))
    send.delete()
    record(actor=acting_user, union=send.union, action=AuditAction.DELETE,
           target=f"bulletin-send:{send.bulletin_id}")


def start_due_sends(now: dt.datetime | None = None) -> list[int]:
    """Scheduled sends whose time has come, and sends a dead worker left behind
    (lease expired), are enqueued again. Run every minute (manage.py send_bulletins)."""
    now = now or timezone.now()
    due = list(BulletinSend.objects.filter(status=SendStatus.SCHEDULED, scheduled_for__lte=now)
               .values_list("pk", flat=True))
    BulletinSend.objects.filter(pk__in=due).update(status=SendStatus.QUEUED)
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

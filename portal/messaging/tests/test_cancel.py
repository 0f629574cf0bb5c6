"""Cancelling a scheduled sending, and stopping one under way: what was sent stays
sent, nothing else goes out, and nothing picks the sending up again."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from portal.activity.models import ActivityEvent
from portal.audit.models import AuditEntry
from portal.messaging.actions import cancel_send, send_bulletin, start_due_sends
from portal.messaging.audience import Audience
from portal.messaging.models import BulletinSend, Delivery, DeliveryStatus, SendStatus
from portal.messaging.selectors import report_for
from portal.messaging.sending import INTERRUPTED, deliver, queue_deliveries
from tests.shared import module_world

from .scenario import build


def _build_s():
    return build("canc")


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    return s_copy


def _schedule(s, hours=1):
    return send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user,
                         send_at=timezone.now() + timedelta(hours=hours))


def test_a_cancelled_scheduled_sending_is_never_picked_up(s):
    send = _schedule(s)
    assert cancel_send(send=send, acting_user=s.chair.user) == 0
    send.refresh_from_db()
    assert send.status == SendStatus.CANCELLED
    assert send.cancelled_by == s.chair.user and send.cancelled_at is not None
    assert AuditEntry.objects.filter(actor=s.chair.user, action="edit",
                                     target=f"bulletin-send:{send.pk}").exists()
    # Cron after the due time, and a stale task: nothing happens.
    assert start_due_sends(now=timezone.now() + timedelta(hours=2)) == []
    assert deliver(send.pk) == {"ran": False}
    assert mail.outbox == []
    assert not Delivery.objects.filter(send=send).exists()
    assert not ActivityEvent.objects.filter(source=f"bulletin:{s.bulletin.pk}").exists()
    with pytest.raises(ValidationError):
        cancel_send(send=send, acting_user=s.chair.user)


def test_a_sending_cancelled_before_it_started_may_be_sent_anew(s):
    first = _schedule(s)
    cancel_send(send=first, acting_user=s.chair.user)
    again = _schedule(s, hours=3)
    assert again.pk != first.pk
    assert not BulletinSend.objects.filter(pk=first.pk).exists()
    assert start_due_sends(now=timezone.now() + timedelta(hours=4)) == [again.pk]
    assert len(mail.outbox) == len(s.emailed)


def test_a_due_sending_cancelled_before_the_worker_ran_sends_nothing(s):
    send = _schedule(s)
    # Cron marks it due and enqueues it; here the (immediate) task would run at once, so
    # mark it due by hand as the cron does and cancel before any worker runs.
    BulletinSend.objects.filter(pk=send.pk).update(status=SendStatus.QUEUED)
    cancel_send(send=send, acting_user=s.staff.user)
    assert deliver(send.pk) == {"ran": False}
    assert mail.outbox == []
    assert BulletinSend.objects.get(pk=send.pk).may_send_again


class CancelledAfter(EmailBackend):
    """Delivers like locmem; right after handing over the n-th message the chair stops
    the sending (as if from the report page, while the worker is mid-batch)."""

    def __init__(self, n, send, user, **kwargs):
        super().__init__(**kwargs)
        self.left, self.send, self.user = n, send, user

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        self.left -= 1
        if self.left == 0:
            cancel_send(send=self.send, acting_user=self.user)
        return sent


def test_stopping_a_sending_under_way_keeps_what_was_sent_and_sends_nothing_more(s):
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    result = deliver(send.pk, connection=CancelledAfter(3, send, s.secretary.user))
    assert result["sent"] == 3
    recipients = Counter(m.to[0] for m in mail.outbox)
    assert len(recipients) == 3 and set(recipients.values()) == {1}
    send.refresh_from_db()
    assert send.status == SendStatus.CANCELLED  # not overwritten with "done"
    assert send.lease_token == "" and send.lease_until is None
    statuses = Counter(Delivery.objects.filter(send=send).values_list("status", flat=True))
    assert statuses[DeliveryStatus.SENT] == 3  # the one being handed over stays sent
    assert statuses[DeliveryStatus.CANCELLED] == len(s.emailed) - 3
    assert DeliveryStatus.QUEUED not in statuses and DeliveryStatus.SENDING not in statuses
    report = report_for(send)
    assert (report.sent, report.cancelled, report.queued) == (3, len(s.emailed) - 3, 0)
    # Nothing resumes it: not a rerun, not the cron.
    assert deliver(send.pk) == {"ran": False}
    assert start_due_sends(now=timezone.now() + timedelta(hours=1)) == []
    assert len(mail.outbox) == 3
    # Some got it, so it cannot be sent anew (they would get it twice).
    assert not send.may_send_again
    with pytest.raises(ValidationError):
        send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)


def test_stopping_after_a_worker_died_marks_its_half_sent_delivery_interrupted(s):
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    queue_deliveries(send.pk)
    claimed = Delivery.objects.filter(send=send, status=DeliveryStatus.QUEUED).first()
    Delivery.objects.filter(pk=claimed.pk).update(status=DeliveryStatus.SENDING)
    BulletinSend.objects.filter(pk=send.pk).update(
        status=SendStatus.SENDING, lease_token="dead",
        lease_until=timezone.now() - timedelta(minutes=1))
    cancel_send(send=send, acting_user=s.chair.user)
    claimed.refresh_from_db()
    assert (claimed.status, claimed.error) == (DeliveryStatus.FAILED, INTERRUPTED)
    assert not Delivery.objects.filter(send=send, status=DeliveryStatus.QUEUED).exists()


def test_a_live_workers_claimed_delivery_is_left_to_it(s):
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    queue_deliveries(send.pk)
    claimed = Delivery.objects.filter(send=send, status=DeliveryStatus.QUEUED).first()
    Delivery.objects.filter(pk=claimed.pk).update(status=DeliveryStatus.SENDING)
    BulletinSend.objects.filter(pk=send.pk).update(
        status=SendStatus.SENDING, lease_token="live",
        lease_until=timezone.now() + timedelta(minutes=1))
    cancel_send(send=send, acting_user=s.chair.user)
    claimed.refresh_from_db()
    assert claimed.status == DeliveryStatus.SENDING  # the worker marks it sent itself


def test_a_finished_sending_cannot_be_cancelled(s):
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    deliver(send.pk)
    with pytest.raises(ValidationError):
        cancel_send(send=send, acting_user=s.chair.user)
    assert BulletinSend.objects.get(pk=send.pk).status == SendStatus.DONE


@pytest.mark.parametrize("who", ["board", "member", "other_chair", "foreign_chair"])
def test_only_who_may_send_may_cancel(s, who):
    send = _schedule(s)
    with pytest.raises(PermissionDenied):
        cancel_send(send=send, acting_user=getattr(s, who).user)
    assert BulletinSend.objects.get(pk=send.pk).status == SendStatus.SCHEDULED

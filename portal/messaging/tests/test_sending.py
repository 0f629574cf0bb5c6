"""Audience, delivery records, idempotent sending and crash recovery."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend

from portal.activity.models import ActivityEvent
from portal.messaging.actions import send_bulletin
from portal.messaging.audience import Audience, audience_people, count_audience
from portal.messaging.models import BulletinSend, Delivery, DeliveryStatus, SendStatus, SkipReason
from portal.messaging.selectors import report_for
from portal.messaging.sending import INTERRUPTED, deliver
from portal.people.models import MembershipStatus
from tests.shared import module_world

from .scenario import build


def _build_s():
    return build()


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    return s_copy


def _send(s, audience=None):
    """Start a send without running it (the task is enqueued on commit)."""
    return send_bulletin(bulletin=s.bulletin, audience=audience or Audience(),
                         acting_user=s.chair.user)


def _ids(people):
    return set(people.values_list("pk", flat=True))


def test_the_default_audience_is_the_branchs_members(s):
    assert _ids(audience_people(s.branch, Audience())) == s.default_audience


def test_audience_filters_are_exact(s):
    assert _ids(audience_people(s.branch, Audience(workplaces=(s.workplace.pk,)))) == {
        s.chair.pk, s.member.pk}
    assert _ids(audience_people(s.branch, Audience(employers=(s.other_workplace.employer_id,)))
                ) == {s.swede.pk, s.elsewhere.pk}
    assert _ids(audience_people(s.branch, Audience(languages=("sv",)))) == {s.swede.pk}
    assert _ids(audience_people(s.branch, Audience(statuses=(MembershipStatus.RESIGNED,)))) == {
        s.resigned.pk}
    assert _ids(audience_people(s.branch, Audience(statuses=(MembershipStatus.ON_LEAVE,),
                                                   languages=("fi",)))) == {s.on_leave.pk}
    counts = count_audience(s.branch, Audience())
    assert (counts.total, counts.no_address, counts.unsubscribed, counts.bounced) == (9, 1, 1, 0)
    assert counts.emailed == len(s.emailed)


def test_filters_naming_another_unions_pages_are_refused(s):
    from tests.factories import make_employer, make_workplace

    foreign = make_workplace(make_employer(s.other_union))
    with pytest.raises(ValidationError):
        _send(s, Audience(workplaces=(foreign.pk,)))


def test_sending_makes_one_delivery_per_recipient_and_emails_each_once(s):
    send = _send(s)
    result = deliver(send.pk)
    assert result["sent"] == len(s.emailed)
    deliveries = Delivery.objects.filter(send=send)
    assert set(deliveries.values_list("person_id", flat=True)) == s.default_audience
    assert set(deliveries.filter(status=DeliveryStatus.SENT).values_list("person_id", flat=True)
               ) == s.emailed
    skipped = dict(deliveries.filter(status=DeliveryStatus.SKIPPED)
                   .values_list("person_id", "skip_reason"))
    assert skipped == {s.no_email.pk: SkipReason.NO_ADDRESS,
                       s.unsubscribed.pk: SkipReason.UNSUBSCRIBED}
    recipients = Counter(m.to[0] for m in mail.outbox)
    assert set(recipients.values()) == {1}
    assert len(recipients) == len(s.emailed)
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://bull.localhost/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    send.refresh_from_db()
    assert send.status == SendStatus.DONE
    # Every audience member sees it in the timeline, emailed or not.
    assert set(ActivityEvent.objects.filter(source=f"bulletin:{s.bulletin.pk}")
               .values_list("person_id", flat=True)) == s.default_audience


def test_sending_again_sends_nothing_more(s):
    send = _send(s)
    deliver(send.pk)
    again = deliver(send.pk)
    assert again["ran"] is False  # the send is done
    BulletinSend.objects.filter(pk=send.pk).update(status=SendStatus.SENDING)
    assert deliver(send.pk)["sent"] == 0
    assert len(mail.outbox) == len(s.emailed)
    assert Delivery.objects.filter(send=send).count() == len(s.default_audience)
    with pytest.raises(ValidationError):
        _send(s)


def test_the_send_task_runs_on_commit(s, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send = _send(s)
    assert len(mail.outbox) == len(s.emailed)
    assert report_for(send).sent == len(s.emailed)


class WorkerKilled(BaseException):
    """Stands for the worker process being killed (not an error the loop handles)."""


class KilledAfter(EmailBackend):
    """Delivers like locmem, then dies right after handing over the n-th message: the
    worst moment, when the server has it but the delivery is not yet marked sent."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.left = n

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        self.left -= 1
        if self.left == 0:
            raise WorkerKilled
        return sent


def test_no_duplicates_after_the_worker_is_killed_mid_send(s):
    send = _send(s)
    with pytest.raises(WorkerKilled):
        deliver(send.pk, connection=KilledAfter(3))
    assert len(mail.outbox) == 3
    assert Delivery.objects.filter(send=send, status=DeliveryStatus.SENDING).count() == 1
    send.refresh_from_db()
    assert send.status == SendStatus.SENDING
    # Resume (the lease was released by the dying worker; a SIGKILL lets it expire).
    deliver(send.pk)
    recipients = Counter(m.to[0] for m in mail.outbox)
    assert len(recipients) == len(s.emailed)
    assert set(recipients.values()) == {1}, recipients
    interrupted = Delivery.objects.get(send=send, status=DeliveryStatus.FAILED)
    assert interrupted.error == INTERRUPTED
    report = report_for(send)
    assert (report.recipients, report.sent, report.failed, report.skipped) == (
        len(s.default_audience), len(s.emailed) - 1, 1, 2)


def test_a_second_worker_does_not_send_while_the_first_holds_the_lease(s):
    from datetime import timedelta

    from django.utils import timezone

    send = _send(s)
    BulletinSend.objects.filter(pk=send.pk).update(
        lease_until=timezone.now() + timedelta(minutes=1), lease_token="other")
    assert deliver(send.pk) == {"ran": False}
    assert mail.outbox == []
    BulletinSend.objects.filter(pk=send.pk).update(lease_until=timezone.now() - timedelta(
        seconds=1))
    assert deliver(send.pk)["sent"] == len(s.emailed)


def test_someone_who_unsubscribes_before_their_turn_is_skipped(s):
    from portal.messaging.actions import unsubscribe_person
    from portal.messaging.sending import queue_deliveries

    send = _send(s)
    queue_deliveries(send.pk)
    unsubscribe_person(person=s.member)
    deliver(send.pk)
    assert s.member.email not in {m.to[0] for m in mail.outbox}
    delivery = Delivery.objects.get(send=send, person=s.member)
    assert (delivery.status, delivery.skip_reason) == (DeliveryStatus.SKIPPED,
                                                       SkipReason.UNSUBSCRIBED)


def test_failures_are_recorded_and_do_not_stop_the_send(s):
    class FailsForMember(EmailBackend):
        def send_messages(self, messages):
            if messages[0].to == [s.member.email]:
                raise OSError("connection reset")
            return super().send_messages(messages)

    send = _send(s)
    deliver(send.pk, connection=FailsForMember())
    assert Delivery.objects.get(send=send, person=s.member).status == DeliveryStatus.FAILED
    assert report_for(send).sent == len(s.emailed) - 1


def test_a_scheduled_send_starts_when_due(s):
    from datetime import timedelta

    from django.utils import timezone

    from portal.messaging.actions import start_due_sends

    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user,
                         send_at=timezone.now() + timedelta(hours=1))
    assert send.status == SendStatus.SCHEDULED
    assert start_due_sends() == []
    assert mail.outbox == []
    assert start_due_sends(now=timezone.now() + timedelta(hours=2)) == [send.pk]
    assert len(mail.outbox) == len(s.emailed)

"""Parallel sending threads on PostgreSQL: each recipient still gets exactly one message.

Runs outside a test transaction (the threads open their own database connections)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from conftest import require
from portal.messaging.actions import send_bulletin
from portal.messaging.audience import Audience
from portal.messaging.models import BulletinSend, Delivery, DeliveryStatus, SendStatus
from portal.messaging.sending import deliver
from portal.people.models import Person

from .scenario import build


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_send_each_message_once(settings):
    require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    settings.BULLETIN_RATE_PER_SECOND = 0
    s = build("para")
    branch_people = [Person(union=s.union, branch=s.branch, first_name=f"P{i}",
                            last_name="Parallel", email=f"par{i}@para.example")
                     for i in range(40)]
    Person.objects.bulk_create(branch_people)
    settings.BULLETIN_SEND_WORKERS = 4
    # Outside a transaction the task runs on commit, i.e. right away (immediate backend).
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    expected = len(s.emailed) + 40
    assert deliver(send.pk, workers=4) == {"ran": False}  # done already, nothing more
    recipients = Counter(m.to[0] for m in mail.outbox)
    assert len(recipients) == expected and set(recipients.values()) == {1}
    assert Delivery.objects.filter(send=send, status=DeliveryStatus.SENT).count() == expected
    assert BulletinSend.objects.get(pk=send.pk).status == SendStatus.DONE

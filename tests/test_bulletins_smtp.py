"""A real SMTP round trip on loopback: headers, one-click unsubscribe, hard bounces."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.messaging.actions import send_bulletin
from portal.messaging.audience import Audience
from portal.messaging.models import Delivery, DeliveryStatus, EmailStatus
from portal.messaging.sending import deliver
from portal.messaging.tests.scenario import build
from portal.messaging.tests.smtp import smtp_backend
from tests.factories import make_bulletin
from tests.shared import module_world


def _build_s():
    return build("smtp")


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    return s_copy


@pytest.fixture
def smtp(settings):
    yield from smtp_backend(settings)


def test_round_trip_unsubscribe_and_bounce(s, smtp):
    smtp.reject.add(s.elsewhere.email)
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    result = deliver(send.pk)
    emailed = {s.chair, s.secretary, s.board, s.member, s.swede, s.on_leave}
    assert result["sent"] == len(emailed) and result["bounced"] == 1
    received = {rcpt[0]: message for rcpt, message in smtp.messages}
    assert set(received) == {p.email for p in emailed}
    message = received[s.member.email]
    assert message["Subject"].endswith(s.bulletin.title)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith("http://smtp.localhost/unsubscribe/")
    html = message.get_body(("html",)).get_content()
    assert link in html and "<p>Hi</p>" in html

    # The refused address is a hard bounce: the delivery says so, the person is flagged.
    bounced = Delivery.objects.get(send=send, person=s.elsewhere)
    assert bounced.status == DeliveryStatus.BOUNCED
    assert EmailStatus.objects.get(person=s.elsewhere).bounced_at is not None

    # One-click unsubscribe (RFC 8058) from the link in the message.
    client = Client(HTTP_HOST="smtp.localhost")
    assert client.get(link).status_code == 200  # only asks
    assert not EmailStatus.objects.filter(person=s.member, unsubscribed_at__isnull=False).exists()
    response = client.post(link, "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert EmailStatus.objects.get(person=s.member).unsubscribed_at is not None
    assert Delivery.objects.get(send=send, person=s.member).unsubscribed_at is not None
    # A tampered link, or the link on another union's site, does nothing.
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert client.post(tampered).status_code == 404
    assert Client(HTTP_HOST="smtpx.localhost").post(link.replace("smtp.localhost",
                                                                 "smtpx.localhost")
                                                    ).status_code == 404

    # The next bulletin skips the unsubscribed and the bounced address.
    smtp.messages.clear()
    second = send_bulletin(bulletin=make_bulletin(s.branch), audience=Audience(),
                           acting_user=s.chair.user)
    deliver(second.pk)
    assert {rcpt[0] for rcpt, _m in smtp.messages} == {p.email for p in emailed - {s.member}}
    skipped = dict(Delivery.objects.filter(send=second, status=DeliveryStatus.SKIPPED)
                   .values_list("person_id", "skip_reason"))
    assert skipped[s.member.pk] == "unsubscribed" and skipped[s.elsewhere.pk] == "bounced"

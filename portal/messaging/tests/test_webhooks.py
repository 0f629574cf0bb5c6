"""The email provider's bounce webhook, mounted at /anymail/postmark/tracking/: a
Postmark-shaped POST with the basic-auth secret marks the one delivery its MessageID
names as bounced and flags that person; without the secret it is refused."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client

from portal.messaging.actions import send_bulletin
from portal.messaging.audience import Audience
from portal.messaging.models import Delivery, DeliveryStatus, EmailStatus
from portal.messaging.sending import deliver
from portal.messaging.webhooks import webhook_urlpatterns
from tests.factories import make_bulletin, make_person
from tests.shared import module_world

from .scenario import build

URL = "/anymail/postmark/tracking/"
SECRET = "test-webhook:not-secret"  # portal/settings/test.py


def _build_s():
    return build("hook")


s_rows, s_copy = module_world(_build_s, name="s_copy")


@pytest.fixture
def s(s_copy, settings):
    settings.BULLETIN_RATE_PER_SECOND = 0
    settings.BULLETIN_SEND_WORKERS = 1  # threads would not see the test transaction
    settings.EMAIL_BACKEND = "portal.messaging.tests.esp.PostmarkLikeBackend"
    return s_copy


def _bounce(delivery, *, email=None, kind="HardBounce", record_type="Bounce"):
    """A Postmark bounce webhook body, as in Postmark's documentation."""
    return {
        "RecordType": record_type,
        "MessageStream": "outbound",
        "ID": 4323372036854775807,
        "Type": kind,
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "bulletin",
        "MessageID": delivery.message_id,
        "Metadata": {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message "
                       "(ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email or delivery.email,
        "From": "noreply@digital-union.invalid",
        "BouncedAt": "2026-01-05T16:33:54.9070259Z",
        "DumpAvailable": False,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Branch A: News",
    }


def _post(body, *, auth=SECRET, host="testserver"):
    headers = {}
    if auth is not None:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return Client(HTTP_HOST=host).post(URL, json.dumps(body), content_type="application/json",
                                       **headers)


def _sent(s):
    send = send_bulletin(bulletin=s.bulletin, audience=Audience(), acting_user=s.chair.user)
    deliver(send.pk)
    return send


def test_a_postmark_bounce_marks_the_delivery_and_flags_the_person(s):
    send = _sent(s)
    delivery = Delivery.objects.get(send=send, person=s.member)
    assert delivery.status == DeliveryStatus.SENT and len(delivery.message_id) == 36
    # Another union's bulletin went out too: the webhook must not touch it.
    foreign_branch = s.foreign_chair.branch
    foreign_member = make_person(s.other_union, branch=foreign_branch)
    foreign_send = send_bulletin(bulletin=make_bulletin(foreign_branch), audience=Audience(),
                                 acting_user=s.foreign_chair.user)
    deliver(foreign_send.pk)

    # Webhooks come to whichever hostname the provider was given, even another union's.
    response = _post(_bounce(delivery), host=s.other_union.site.hostname)
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.BOUNCED
    assert "unable to deliver" in delivery.error
    status = EmailStatus.objects.get(person=s.member)
    assert status.bounced_at is not None and status.bounced_address == s.member.email
    # Only that delivery and that person.
    assert list(Delivery.objects.filter(status=DeliveryStatus.BOUNCED)
                .values_list("pk", flat=True)) == [delivery.pk]
    assert list(EmailStatus.objects.filter(bounced_at__isnull=False)
                .values_list("person_id", flat=True)) == [s.member.pk]
    assert Delivery.objects.get(send=foreign_send, person=foreign_member).status == (
        DeliveryStatus.SENT)


def test_a_request_without_the_secret_is_refused(s):
    send = _sent(s)
    delivery = Delivery.objects.get(send=send, person=s.member)
    assert _post(_bounce(delivery), auth=None).status_code == 400
    assert _post(_bounce(delivery), auth="test-webhook:guess").status_code == 400
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert not EmailStatus.objects.filter(bounced_at__isnull=False).exists()


def test_an_event_naming_another_address_or_an_unknown_message_changes_nothing(s):
    send = _sent(s)
    delivery = Delivery.objects.get(send=send, person=s.member)
    other = Delivery.objects.get(send=send, person=s.swede)
    # The member's MessageID with the Swede's address: neither is touched.
    assert _post(_bounce(delivery, email=other.email)).status_code == 200
    unknown = Delivery(message_id="00000000-0000-0000-0000-000000000000", email=s.member.email)
    assert _post(_bounce(unknown)).status_code == 200
    assert not Delivery.objects.filter(status=DeliveryStatus.BOUNCED).exists()
    assert not EmailStatus.objects.filter(bounced_at__isnull=False).exists()


def test_a_spam_complaint_unsubscribes(s):
    send = _sent(s)
    delivery = Delivery.objects.get(send=send, person=s.swede)
    body = _bounce(delivery, kind="SpamComplaint", record_type="SpamComplaint")
    assert _post(body).status_code == 200
    assert EmailStatus.objects.get(person=s.swede).unsubscribed_at is not None
    delivery.refresh_from_db()
    assert delivery.unsubscribed_at is not None and delivery.status == DeliveryStatus.SENT


def test_without_a_secret_the_webhooks_are_not_mounted(settings):
    settings.ANYMAIL = {}
    assert webhook_urlpatterns() == []
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    assert len(webhook_urlpatterns()) == 1

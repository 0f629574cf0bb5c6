"""Notification emails over a real SMTP server on loopback (aiosmtpd): at once, the
daily digest, the one-click unsubscribe of a kind, and preferences honoured."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.activity.actions import record_events
from portal.activity.models import ActivityEvent, MailState
from portal.messaging.models import EmailStatus
from portal.messaging.tests.smtp import smtp_backend
from portal.notifications.actions import notify, set_preferences
from portal.notifications.models import NotificationPreference
from portal.notifications.sending import send_digests
from portal.union.models import Role
from tests.factories import make_person, make_union


@pytest.fixture
def smtp(settings):
    yield from smtp_backend(settings)


@pytest.mark.django_db
def test_at_once_digest_unsubscribe_and_preferences(smtp, django_capture_on_commit_callbacks):
    union = make_union("ntf")
    member = make_person(union, roles=(Role.MEMBER,), first_name="Maija",
                         preferred_language="en")
    other = make_person(union, roles=(Role.MEMBER,), first_name="Olli")

    # A message is emailed at once (the task runs when the notification is committed).
    with django_capture_on_commit_callbacks(execute=True):
        notify(union=union, people=[member], kind="message", title="Liisa wrote to you",
               url="/discussions/7/", source="message:7")
    assert [rcpt for rcpt, _m in smtp.messages] == [[member.email]]
    message = smtp.messages[0][1]
    assert message["Subject"] == f"{union.name}: Liisa wrote to you"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",)).get_content()
    assert 'href="http://ntf.localhost/discussions/7/"' in html
    assert ActivityEvent.objects.get(person=member, source="message:7").mail == MailState.SENT

    # Campaign assignments and terms updates wait for the digest: one email per person.
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(union=union, people=[member, other], kind="campaign",
               title="You joined <b>Autumn</b>", url="/campaigns/3/", source="campaign:3")
        notify(union=union, people=[member], kind="terms", title="Terms updated",
               url="/terms/", source="terms:9")
    assert smtp.messages == []
    assert send_digests(union_id=union.pk) == 2
    assert send_digests(union_id=union.pk) == 0  # nothing twice
    received = {rcpt[0]: m for rcpt, m in smtp.messages}
    digest = received[member.email]
    assert digest["Subject"] == f"{union.name}: 2 new notifications"
    text = digest.get_body(("plain",)).get_content()
    assert "You joined <b>Autumn</b>" in text and "Terms updated" in text
    html = digest.get_body(("html",)).get_content()
    assert "You joined &lt;b&gt;Autumn&lt;/b&gt;" in html  # escaped, never markup
    # The one-click unsubscribe in the body for one kind (the header's is the digest's).
    link = next(line.rsplit(": ", 1)[1] for line in text.splitlines()
                if line.startswith("Campaign: no more emails"))
    client = Client(HTTP_HOST="ntf.localhost")
    assert client.get(link).status_code == 200  # only asks
    assert not NotificationPreference.objects.filter(person=member).exists()
    assert client.post(link, "List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded").status_code == 200
    assert NotificationPreference.objects.get(person=member, kind="campaign").delivery == (
        "never")
    assert client.post(link[:-4] + "xyz/").status_code == 404  # tampered
    assert Client(HTTP_HOST="elsewhere.localhost").post(link).status_code == 404

    # Preferences are honoured: "never" records the item without an email.
    set_preferences(person=member, choices={"message": "never", "terms": "now"},
                    acting_user=member.user)
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(union=union, people=[member], kind="campaign", title="Another", url="/c/4/",
               source="campaign:4")
        notify(union=union, people=[member], kind="message", title="Again", url="/d/8/",
               source="message:8")
        notify(union=union, people=[member], kind="terms", title="Terms 10", url="/terms/",
               source="terms:10")
    assert dict(ActivityEvent.objects.filter(person=member, source__in=[
        "campaign:4", "message:8", "terms:10"]).values_list("source", "mail")) == {
        "campaign:4": MailState.NONE, "message:8": MailState.NONE, "terms:10": MailState.SENT}
    assert [m["Subject"] for _r, m in smtp.messages] == [f"{union.name}: Terms 10"]

    # Bulletins in the digest: messaging's unsubscribe flag follows, and the bulletin's
    # activity item (recorded by messaging) waits for the digest.
    set_preferences(person=member, choices={"bulletin": "digest"}, acting_user=member.user)
    assert EmailStatus.objects.get(person=member).unsubscribed_at is not None
    record_events(union=union, kind="bulletin", occurs_at=member.created_at,
                  source="bulletin:5", items=[(member.pk, "News", "/b/5/"),
                                              (other.pk, "News", "/b/5/")])
    assert dict(ActivityEvent.objects.filter(source="bulletin:5").values_list(
        "person_id", "mail")) == {member.pk: MailState.DIGEST, other.pk: MailState.NONE}

"""Sending, reading, editing, deleting, files, calls, floods and erasure (issue 18)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from portal.accounts.actions import block_user
from portal.activity.models import ActivityEvent
from portal.discussions import actions, text
from portal.discussions.models import Attachment, Conversation, Message

from .conftest import client_for


def _png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _start(a, sender="member", to="steward", body="Hello"):
    return actions.start_conversation(union=a["union"], acting_user=a["users"][sender],
                                      recipient_ids=[a["users"][to].pk], body=body)


def _badge(response):
    return {i["key"]: i["badge"] for i in response.context["nav_items"]}.get("discussions")


def test_member_writes_steward_reads_replies_and_calls(w):
    a = w["a"]
    member, steward = client_for(a, "member"), client_for(a, "steward")
    response = member.post("/discussions/new/", {"to": [a["users"]["steward"].pk],
                                                 "body": "See https://example.org/a?b=1&c=2"})
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/discussions/{conversation.pk}/"
    # The steward is told: an unread badge and a notification linking to the conversation.
    inbox = steward.get("/discussions/")
    assert _badge(inbox) == 1 and inbox.context["rows"][0].unread
    event = ActivityEvent.objects.get(person=a["people"]["steward"], kind="message")
    assert event.url == f"/discussions/{conversation.pk}/"
    page = steward.get(f"/discussions/{conversation.pk}/")
    assert _badge(page) is None  # read as it is drawn
    event.refresh_from_db()
    assert event.read_at is not None  # and so is its notification (the activity bell)
    html = page.content.decode()
    assert ('<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow ugc">'
            in html)
    # The member is in the steward's scope: their phone is a call link.
    assert 'href="tel:0407654321"' in html
    # Reading the conversation and seeing the number are audited, the member as the person.
    from portal.audit.models import AuditEntry

    seen = AuditEntry.objects.filter(actor=a["users"]["steward"], action="view",
                                     person_id=a["people"]["member"].pk,
                                     target=f"/discussions/{conversation.pk}/")
    assert {tuple(entry.fields) for entry in seen} == {("name", "messages"), ("name", "phone")}
    assert _badge(steward.get("/discussions/")) is None  # read now
    # The member sees the read receipt.
    assert "Read" in member.get(f"/discussions/{conversation.pk}/").content.decode()
    steward.post(f"/discussions/{conversation.pk}/", {"body": "I'll call you."})
    steward.post(f"/discussions/{conversation.pk}/called/")
    assert list(conversation.messages.order_by("pk").values_list("kind", flat=True)) == [
        "text", "text", "call"]
    thread = member.get(f"/discussions/{conversation.pk}/").content.decode()
    assert "dsasteward Testinen called" in thread and "call you." in thread
    # Writing to the steward again continues the same conversation.
    member.post("/discussions/new/", {"to": [a["users"]["steward"].pk], "body": "Thanks"})
    assert Conversation.objects.get() == conversation
    # Replies before the member read them add no second notification.
    assert ActivityEvent.objects.filter(person=a["people"]["member"], kind="message").count() == 1


def test_polling_answers_nothing_new_until_something_changes(w):
    a = w["a"]
    conversation = _start(a)
    steward = client_for(a, "steward")
    first = steward.get(f"/discussions/{conversation.pk}/poll/", {"v": ""}).json()
    assert first["changed"] and "Hello" in first["html"]
    again = steward.get(f"/discussions/{conversation.pk}/poll/", {"v": first["token"]}).json()
    assert again == {"changed": False}
    actions.send_message(conversation=conversation, acting_user=a["users"]["member"],
                         body="Second")
    news = steward.get(f"/discussions/{conversation.pk}/poll/", {"v": first["token"]}).json()
    assert news["changed"] and "Second" in news["html"]


@pytest.mark.parametrize("body", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                  "hi <b>bold</b>", "x" * 4001, "   "])
def test_markup_overlong_and_empty_messages_are_refused(w, body):
    a = w["a"]
    conversation = _start(a)
    response = client_for(a, "member").post(f"/discussions/{conversation.pk}/", {"body": body})
    assert response.status_code == 400
    assert response.context["messages"] or b"class=\"messages\"" in response.content
    assert conversation.messages.count() == 1


def test_text_is_escaped_and_only_web_links_become_links():
    html = text.render('a < b & javascript:alert(1) http://x.example/"onmouseover=1')
    assert html == ('a &lt; b &amp; javascript:alert(1) <a href="http://x.example/" '
                    'rel="noopener noreferrer nofollow ugc">http://x.example/</a>"onmouseover=1')


def _file_post(client, conversation, upload):
    return client.post(f"/discussions/{conversation.pk}/", {"body": "", "files": [upload]})


@pytest.mark.parametrize("upload, says", [
    (lambda: SimpleUploadedFile("<img src=x onerror=alert(1)>.png", b"\x89PNG"),
     b"may not contain"),
    (lambda: SimpleUploadedFile("notes.png", b"just text, not a picture"), b"is not an image"),
    (lambda: SimpleUploadedFile("invoice.png", b"%PDF-1.4 ..."), b"does not match its type"),
    (lambda: SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), b"too large"),
])
def test_bad_files_are_refused_with_a_reason_and_nothing_stored(w, upload, says):
    a = w["a"]
    conversation = _start(a)
    response = _file_post(client_for(a, "member"), conversation, upload())
    assert response.status_code == 400 and says in response.content
    assert conversation.messages.count() == 1 and not Attachment.objects.exists()


def test_files_are_served_to_participants_only_with_a_safe_disposition(w):
    a, b = w["a"], w["b"]
    conversation = _start(a)
    member = client_for(a, "member")
    _file_post(member, conversation, _png("kuva ÄÖ.png"))
    member.post(f"/discussions/{conversation.pk}/",
                {"body": "", "files": [SimpleUploadedFile("report; x=1.pdf", b"%PDF-1.4 x")]})
    image, pdf = Attachment.objects.order_by("pk")
    url = f"/discussions/{conversation.pk}/files/{{}}/"
    response = client_for(a, "steward").get(url.format(image.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    download = client_for(a, "steward").get(url.format(pdf.pk))
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="report; x=1.pdf"' in download["Content-Disposition"]
    # Anyone else, staff and admins included, and other unions' sessions: nothing.
    for side, role in ((a, "staff"), (a, "admin"), (a, "other"), (b, "admin")):
        assert client_for(side, role).get(url.format(image.pk)).status_code in (404, 302)
        assert client_for(side, role).get(f"/discussions/{conversation.pk}/").status_code in (
            404, 302)


def test_edit_within_the_window_and_delete_for_everyone(w):
    a = w["a"]
    conversation = _start(a)
    message = conversation.messages.get()
    member = client_for(a, "member")
    steward = client_for(a, "steward")
    assert steward.post(f"/discussions/{conversation.pk}/messages/{message.pk}/edit/",
                        {"body": "forged"}).status_code == 403
    member.post(f"/discussions/{conversation.pk}/messages/{message.pk}/edit/", {"body": "Fixed"})
    message.refresh_from_db()
    assert message.body == "Fixed" and message.edited_at
    Message.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=16))
    late = member.post(f"/discussions/{conversation.pk}/messages/{message.pk}/edit/",
                       {"body": "Late"})
    assert late.status_code == 400 and b"within 15 minutes" in late.content
    _file_post(member, conversation, _png())
    with_file = conversation.messages.order_by("pk").last()
    member.post(f"/discussions/{conversation.pk}/messages/{with_file.pk}/delete/")
    with_file.refresh_from_db()
    assert with_file.deleted_at and not with_file.attachments.exists()
    assert "Message deleted" in steward.get(f"/discussions/{conversation.pk}/").content.decode()


def test_floods_and_blocked_senders_are_refused(w):
    a = w["a"]
    conversation = _start(a)
    member = client_for(a, "member")
    limit = actions.RATE_LIMITS[0][1]
    for n in range(limit - 1):
        actions.send_message(conversation=conversation, acting_user=a["users"]["member"],
                             body=f"m{n}")
    response = member.post(f"/discussions/{conversation.pk}/", {"body": "one too many"})
    assert response.status_code == 429 and b"too fast" in response.content
    assert conversation.messages.count() == limit
    block_user(user=a["users"]["steward"], reason="spam", acting_user=a["users"]["admin"])
    with pytest.raises(actions.Refused, match="blocked"):
        actions.send_message(conversation=conversation, acting_user=a["users"]["steward"],
                             body="still here?")


def test_an_erased_persons_messages_stay_for_the_others_without_their_name(w):
    a = w["a"]
    conversation = _start(a, body="My question")
    from portal.erasure.actions import erase_person

    erase_person(person=a["people"]["member"], acting_user=a["users"]["admin"])
    page = client_for(a, "steward").get(f"/discussions/{conversation.pk}/").content.decode()
    assert "My question" in page and "Former participant" in page
    assert "dsamember" not in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_and_conversation_cost_the_same_queries_however_long(w):
    a = w["a"]
    users = a["users"]
    conversation = _start(a)
    steward = client_for(a, "steward")
    url = f"/discussions/{conversation.pk}/"
    steward.get(url), steward.get("/discussions/")  # read, and the per-process caches warm
    short_thread, short_list = _queries(steward, url), _queries(steward, "/discussions/")
    Message.objects.bulk_create([
        Message(union=a["union"], conversation=conversation, sender=users["member"], body=f"m{n}")
        for n in range(120)])
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_id=Message.objects.latest("pk").pk)
    for role in ("staff", "admin"):
        _start(a, sender=role, to="steward")
    steward.get(url), steward.get("/discussions/")
    assert _queries(steward, url) == short_thread
    assert _queries(steward, "/discussions/") == short_list


def test_switched_off_discussions_have_no_entry_and_no_pages(w):
    from portal.union.models import UnionSettings
    from portal.union.viewer import forget_viewer

    a = w["a"]
    conversation = _start(a)
    steward = client_for(a, "steward")
    assert _badge(steward.get("/discussions/")) == 1
    UnionSettings.objects.update_or_create(union=a["union"], defaults={
        "disabled_features": ["discussions"]})
    forget_viewer(a["users"]["steward"].pk)
    home = steward.get("/profile/")
    assert "discussions" not in {item["key"] for item in home.context["nav_items"]}
    for url in ("/discussions/", f"/discussions/{conversation.pk}/",
                f"/discussions/{conversation.pk}/poll/"):
        assert steward.get(url).status_code == 404

"""A message refused for its text (markup) is shown again with the text kept, but no
browser keeps a chosen file in a form it shows again: the page now says the files were
not sent, so the sender does not fix the text and send it without the attachment."""

from __future__ import annotations

from portal.discussions.models import Conversation

from .conftest import client_for
from .test_messages import _png, _start

NOTE = "The files chosen were not sent: attach them again."


def _notes(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_refused_message_with_files_asks_to_attach_them_again(w):
    a = w["a"]
    member = client_for(a, "member")
    # In a conversation: refused for its markup, the file with it.
    conversation = _start(a)
    refused = member.post(f"/discussions/{conversation.pk}/",
                          {"body": "see <b>this</b>", "files": [_png()]}, follow=True)
    assert NOTE in _notes(refused)
    assert conversation.messages.count() == 1
    # Starting one: the same.
    started = member.post("/discussions/new/", {"to": [a["users"]["staff"].pk],
                                                "body": "<i>hi</i>", "files": [_png()]})
    assert started.status_code == 400 and NOTE in _notes(started)
    assert Conversation.objects.count() == 1
    # Refused without files: nothing about files.
    plain = member.post(f"/discussions/{conversation.pk}/", {"body": "<b>x</b>"}, follow=True)
    assert NOTE not in _notes(plain)

"""Who reads a conversation, and how reading it is audited (docs/discussions.md, "Who
reads what"): only its participants, whatever anyone's role; a participant's reading
is audited once per conversation and session every few minutes, not on every poll."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.audit.models import AuditEntry
from portal.discussions import actions
from portal.discussions.views import AUDIT_EVERY
from portal.union.models import Role
from tests.factories import PASSWORD, UserFactory

from .conftest import client_for


def _urls(conversation):
    message = conversation.messages.get()
    return [f"/discussions/{conversation.pk}/", f"/discussions/{conversation.pk}/poll/?v=",
            f"/discussions/{conversation.pk}/messages/{message.pk}/edit/",
            "/discussions/search/?q=Private"]


@pytest.mark.parametrize("reader", ["staff", "admin", "superuser"])
def test_no_role_opens_a_conversation_it_is_not_in(w, reader):
    from portal.accounts.actions import create_user

    a = w["a"]
    conversation = actions.start_conversation(
        union=a["union"], acting_user=a["users"]["member"],
        recipient_ids=[a["users"]["steward"].pk], body="Private matter")
    if reader == "superuser":  # the platform's superuser, also holding admin here
        user = create_user(email="root@dsa.example", union=a["union"], roles=(Role.ADMIN,),
                           password=PASSWORD)
        user.is_superuser = user.is_staff = True
        user.save()
        client = Client(HTTP_HOST=a["host"])
        client.force_login(user)
    else:
        client = client_for(a, reader)
    *by_id, search = _urls(conversation)
    for url in by_id:
        assert client.get(url).status_code == 404, url
    assert b"Private matter" not in client.get(search).content
    # Nor the operator, whose session counts on the platform's hostname only.
    operator = Client(HTTP_HOST=a["host"])
    operator.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert b"Private matter" not in operator.get(by_id[0]).content
    assert not AuditEntry.objects.filter(target=f"/discussions/{conversation.pk}/").exists()


def test_reading_is_audited_once_per_conversation_and_session_in_a_while(w, settings):
    a = w["a"]
    conversation = actions.start_conversation(
        union=a["union"], acting_user=a["users"]["member"],
        recipient_ids=[a["users"]["steward"].pk], body="Hello")
    steward, url = client_for(a, "steward"), f"/discussions/{conversation.pk}/"
    member_id = a["people"]["member"].pk

    def entries():
        return sorted(tuple(e.fields) for e in AuditEntry.objects.filter(
            actor=a["users"]["steward"], action="view", person_id=member_id, target=url))

    token = steward.get(url).context["token"]
    assert entries() == [("name", "messages"), ("name", "phone")]  # opening it
    # The open page's polls bring new messages, the page reloads after a reply: no
    # further entries for this session in AUDIT_EVERY seconds.
    for body in ("One", "Two"):
        actions.send_message(conversation=conversation, acting_user=a["users"]["member"],
                             body=body)
        news = steward.get(f"{url}poll/", {"v": token}).json()
        assert news["changed"] and body in news["html"]
        token = news["token"]
    steward.post(url, {"body": "Thanks"})
    steward.get(url)
    assert len(entries()) == 2
    # Another session (another device) is audited on its own; so is this one later.
    client_for(a, "steward").get(url)
    assert len(entries()) == 4
    session = steward.session
    session["discussions_audited"] = {
        str(conversation.pk): session["discussions_audited"][str(conversation.pk)]
        - AUDIT_EVERY}
    session.save()
    steward.get(f"{url}poll/", {"v": ""})
    assert len(entries()) == 6

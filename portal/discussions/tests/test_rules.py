"""Who may write to whom, for every role pair of two unions (issue 18 item 1)."""

from __future__ import annotations

import pytest

from portal.discussions import actions
from portal.discussions.models import Conversation, Message
from portal.discussions.rules import reachable_users

from .conftest import client_for

ROLES = ("member", "steward", "other", "staff", "admin")
# Sender -> whom they may start a conversation with in their own union.
MAY_WRITE = {
    "member": {"steward", "staff", "admin"},  # their officials and the union's staff
    "other": {"steward", "staff", "admin"},  # any member sees the union's officials
    "steward": {"member", "staff", "admin"},  # their workplace, and staff
    "staff": {"member", "steward", "other", "admin"},
    "admin": {"member", "steward", "other", "staff"},
}


@pytest.mark.parametrize("sender", ROLES)
def test_who_may_start_a_conversation_with_whom(w, sender):
    a, b = w["a"], w["b"]
    reachable = set(reachable_users(a["users"][sender], a["union"]).values_list("pk", flat=True))
    assert {role for role in ROLES if a["users"][role].pk in reachable} == MAY_WRITE[sender]
    assert not reachable & {user.pk for user in b["users"].values()}  # never across unions
    # A session on the other union's site reaches nobody there.
    assert not reachable_users(a["users"][sender], b["union"]).exists()


def test_a_member_may_write_back_to_whoever_wrote_to_them(w):
    a = w["a"]
    users = a["users"]
    actions.start_conversation(union=a["union"], acting_user=users["staff"], title="Group",
                               recipient_ids=[users["member"].pk, users["other"].pk], body="Hi")
    conversation = Conversation.objects.get(title="Group")
    actions.send_message(conversation=conversation, acting_user=users["other"], body="Hello!")
    # `other` wrote to `member` (in the group): `member` may now write to them directly.
    assert reachable_users(users["member"], a["union"]).filter(pk=users["other"].pk).exists()
    assert not reachable_users(users["steward"], a["union"]).filter(pk=users["other"].pk).exists()


@pytest.mark.parametrize("forged", ["other_union", "out_of_scope", "not_a_number"])
def test_a_forged_recipient_is_refused_and_nothing_is_stored(w, forged):
    a, b = w["a"], w["b"]
    to = {"other_union": b["users"]["steward"].pk, "out_of_scope": a["users"]["other"].pk,
          "not_a_number": "1 OR 1=1"}[forged]
    before = Message.objects.count()
    response = client_for(a, "member").post("/discussions/new/", {"to": [to], "body": "Hi"})
    assert response.status_code in (400, 403)
    assert b"You cannot write to" in response.content or b"Choose whom" in response.content
    assert Message.objects.count() == before and not Conversation.objects.exists()


def test_the_people_picker_audits_whom_it_shows(w):
    from portal.audit.models import AuditAction, AuditEntry

    a = w["a"]
    page = client_for(a, "staff").get("/discussions/new/", {"q": "dsaother"})
    assert page.status_code == 200 and b"dsaother" in page.content
    assert AuditEntry.objects.filter(person_id=a["people"]["other"].pk,
                                     action=AuditAction.LIST).exists()

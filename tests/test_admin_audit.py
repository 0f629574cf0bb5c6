"""The Wagtail admin's pages of one account are audited like its list: the person whose
account it is, who looked, which view and which fields (portal/adminpanel/viewsets.py)."""

from __future__ import annotations

import pytest
from django.db.models import Max
from django.test import Client

from portal.accounts.actions import create_user
from portal.audit.models import AuditAction, AuditEntry
from portal.union.models import Role
from tests.factories import make_person, make_union


@pytest.fixture
def world(db):
    union = make_union("aud")
    return {
        "union": union,
        "admin": make_person(union, roles=(Role.ADMIN,)),
        "member": make_person(union, roles=(Role.MEMBER,)),
        # An account without a profile (no person): still audited, by its account id.
        "bare": create_user(email="bare@aud.example", union=union, roles=(Role.MEMBER,)),
    }


@pytest.mark.parametrize("view", ["edit", "history", "history-results", "usage", "delete"])
def test_an_accounts_admin_page_is_audited(world, view):
    client = Client(HTTP_HOST=world["union"].site.hostname)
    client.force_login(world["admin"].user)
    member = world["member"]
    last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    response = client.get(f"/admin/users/{view}/{member.user_id}/")
    new = list(AuditEntry.objects.filter(pk__gt=last))
    if view == "delete":  # superusers only: refused, and nothing shown
        assert response.status_code in (302, 403)
        assert new == []
        return
    assert response.status_code == 200
    assert len(new) == 1, new
    entry = new[0]
    assert (entry.actor_id, entry.union_id, entry.person_id, entry.action) == (
        world["admin"].user_id, world["union"].pk, member.pk, AuditAction.VIEW)
    assert entry.fields and entry.target.endswith(f":{member.user_id}")
    assert entry.request_id == response["X-Request-ID"]


def test_an_account_without_a_profile_is_audited_by_its_id(world):
    client = Client(HTTP_HOST=world["union"].site.hostname)
    client.force_login(world["admin"].user)
    last = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    assert client.get(f"/admin/users/edit/{world['bare'].pk}/").status_code == 200
    entry = AuditEntry.objects.get(pk__gt=last)
    assert entry.person_id is None and entry.target == f"admin:users:edit:{world['bare'].pk}"

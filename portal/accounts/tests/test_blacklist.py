"""Blacklist (U-3.16.11): blocked accounts cannot sign in; open sessions end at once."""

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from portal.accounts.actions import block_user, unblock_user
from portal.accounts.models import Block
from portal.audit.models import AuditEntry
from portal.union.models import Role
from tests.factories import PASSWORD, make_person, make_union


@pytest.fixture
def world(db):
    a, b = make_union("ba"), make_union("bb")
    return {
        "a": a,
        "b": b,
        "admin": make_person(a, roles=(Role.ADMIN,)).user,
        "staff": make_person(a, roles=(Role.STAFF,)).user,
        "member": make_person(a, roles=(Role.MEMBER,)).user,
        "admin_b": make_person(b, roles=(Role.ADMIN,)).user,
    }


def _signed_in(union, user) -> Client:
    client = Client(HTTP_HOST=union.site.hostname)
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_blocking_ends_an_open_session_on_its_next_request(world):
    client = _signed_in(world["a"], world["member"])
    assert client.get("/admin/").status_code in (302, 403)  # a member has no admin
    assert client.session.get(SESSION_KEY) == str(world["member"].pk)
    block_user(user=world["member"], reason="Harassment", acting_user=world["admin"])
    response = client.get("/")
    assert response.wsgi_request.user.is_anonymous
    assert SESSION_KEY not in client.session


def test_open_session_survives_session_row_deletion_race(world):
    # Even when the stored session was not deleted (e.g. a cache-backed session), the
    # next request resolves to nobody: the backend refuses blocked accounts.
    client = Client(HTTP_HOST=world["a"].site.hostname)
    client.force_login(world["staff"])
    Block.objects.create(union=world["a"], user=world["staff"], reason="x",
                         starts_at=timezone.now(), blocked_by=world["admin"])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_anonymous
    assert SESSION_KEY not in client.session


def test_a_blocked_account_cannot_sign_in_and_can_after_unblock(world):
    block = block_user(user=world["member"], reason="Spam", acting_user=world["admin"])
    client = Client(HTTP_HOST=world["a"].site.hostname)
    response = client.post("/accounts/login/", {"username": world["member"].email,
                                                 "password": PASSWORD})
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    unblock_user(block=block, acting_user=world["admin"])
    _signed_in(world["a"], world["member"])


def test_a_block_with_an_end_stops_counting_after_it(world):
    block = block_user(user=world["member"], reason="Cooling off",
                       ends_at=timezone.now() + dt.timedelta(days=1), acting_user=world["admin"])
    assert Block.objects.in_force().filter(pk=block.pk).exists()
    assert not Block.objects.in_force(at=timezone.now() + dt.timedelta(days=2)).filter(
        pk=block.pk).exists()
    with pytest.raises(ValidationError):
        block_user(user=world["member"], reason="x",
                   ends_at=timezone.now() - dt.timedelta(days=1), acting_user=world["admin"])


def test_only_the_unions_admin_blocks_and_every_change_is_audited(world):
    with pytest.raises(PermissionDenied):
        block_user(user=world["member"], reason="x", acting_user=world["staff"])
    with pytest.raises(PermissionDenied):
        block_user(user=world["member"], reason="x", acting_user=world["admin_b"])
    with pytest.raises(ValidationError):
        block_user(user=world["admin"], reason="x", acting_user=world["admin"])
    block = block_user(user=world["member"], reason="x", acting_user=world["admin"])
    unblock_user(block=block, acting_user=world["admin"])
    entries = AuditEntry.objects.filter(target=f"block:user:{world['member'].pk}")
    assert sorted(e.fields[0] for e in entries) == ["blocked", "unblocked"]
    assert all(e.actor_id == world["admin"].pk and e.union_id == world["a"].pk for e in entries)


def test_the_admin_blacklist_view_blocks_lists_and_lifts(world):
    client = Client(HTTP_HOST=world["a"].site.hostname)
    client.force_login(world["admin"])
    member = world["member"]
    response = client.post("/admin/union-admin/blacklist/",
                           {"email": member.email, "reason": "Threats", "ends_on": ""})
    assert response.status_code == 302
    block = Block.objects.get(user=member)
    response = client.get("/admin/union-admin/blacklist/")
    assert member.email.encode() in response.content and b"Threats" in response.content
    # Another union's address is not found (nothing revealed, nothing blocked).
    response = client.post("/admin/union-admin/blacklist/",
                           {"email": world["admin_b"].email, "reason": "x"})
    assert response.status_code == 200
    assert not Block.objects.filter(user=world["admin_b"]).exists()
    assert client.post(f"/admin/union-admin/blacklist/{block.pk}/lift/").status_code == 302
    block.refresh_from_db()
    assert block.lifted_at is not None and block.lifted_by == world["admin"]


def test_staff_cannot_open_the_blacklist_and_b_cannot_lift_a_block(world):
    block = block_user(user=world["member"], reason="x", acting_user=world["admin"])
    staff = Client(HTTP_HOST=world["a"].site.hostname)
    staff.force_login(world["staff"])
    response = staff.get("/admin/union-admin/blacklist/")
    assert response.status_code in (302, 403)  # Wagtail turns a refusal into a redirect
    assert b"Threats" not in response.content
    other = Client(HTTP_HOST=world["b"].site.hostname)
    other.force_login(world["admin_b"])
    assert other.post(f"/admin/union-admin/blacklist/{block.pk}/lift/").status_code == 404
    block.refresh_from_db()
    assert block.lifted_at is None


@pytest.mark.django_db
def test_the_session_user_query_runs_compiled_and_still_sees_a_new_block():
    """get_user runs from SQL compiled once (union/compiled.py); the time is a parameter,
    so a block that starts after the SQL was compiled still ends the session."""
    import datetime as dt

    from django.utils import timezone

    from portal.accounts.backends import UnionAwareModelBackend
    from portal.accounts.models import Block
    from portal.union import compiled
    from tests.factories import make_person, make_union

    union = make_union("compiled-block")
    user = make_person(union).user
    backend = UnionAwareModelBackend()
    compiled.COMPILED.pop(("session-user",), None)
    assert backend.get_user(user.pk) == user
    assert compiled.COMPILED[("session-user",)]  # compiled and checked, not the fallback
    assert backend.get_user(str(user.pk)) == user  # as a session stores it
    assert backend.get_user("not-an-id") is None
    Block.objects.create(union=union, user=user, reason="test",
                         starts_at=timezone.now() - dt.timedelta(seconds=1))
    assert backend.get_user(user.pk) is None

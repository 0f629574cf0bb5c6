"""Escalation attempts in the admin fail: granting oneself more, touching another union's
accounts, and reusing another union's ids in URLs."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from portal.accounts.actions import block_user, change_roles, update_account
from portal.accounts.models import Block, User
from portal.accounts.rights import grantable_roles
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import appoint, make_person, make_union
from tests.shared import module_world


def _roles(user) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("union_role__role", flat=True))


def _build_world():
    a, b = make_union("esa"), make_union("esb")
    admin_b = make_person(b, roles=(Role.ADMIN,)).user
    member_b = make_person(b, roles=(Role.MEMBER,))
    appoint(member_b, PositionKind.UNION_BOARD_MEMBER, b.root_page)
    return {
        "a": a,
        "b": b,
        "admin_a": make_person(a, roles=(Role.ADMIN,)).user,
        "staff_a": make_person(a, roles=(Role.STAFF,)).user,
        "member_a": make_person(a, roles=(Role.MEMBER,)).user,
        "admin_b": admin_b,
        "member_b": member_b,
        "block_b": block_user(user=member_b.user, reason="b's business", acting_user=admin_b),
    }


world_rows, world = module_world(_build_world, name="world")


def _client(world, name, union="a"):
    client = Client(HTTP_HOST=world[union].site.hostname)
    client.force_login(world[name])
    return client


def test_staff_cannot_grant_themselves_admin(world):
    staff = world["staff_a"]
    admin_group = world["a"].role_group(Role.ADMIN)
    before = _roles(staff)
    client = _client(world, "staff_a")
    # Through the account views (staff hold no account management at all)...
    response = client.post(f"/admin/users/edit/{staff.pk}/", {
        "email": staff.email, "first_name": "x", "last_name": "y", "is_active": "on",
        "roles": [Role.STAFF, Role.ADMIN]})
    assert response.status_code in (302, 403, 404)
    # ...through Wagtail's bulk "assign role" action...
    response = client.post(
        f"/admin/bulk/accounts/user/assign_role/?id={staff.pk}&next=/admin/",
        {"role": admin_group.pk})
    assert response.status_code in (302, 403, 404)
    # ...through the group editor...
    response = client.post(f"/admin/groups/edit/{admin_group.pk}/", {"name": "x"})
    assert response.status_code in (302, 403, 404)
    # ...and through the action itself.
    with pytest.raises(PermissionDenied):
        change_roles(user=staff, roles=(Role.STAFF, Role.ADMIN), acting_user=staff)
    assert _roles(staff) == before and Role.ADMIN not in before
    assert not admin_group.user_set.filter(pk=staff.pk).exists()


def test_nobody_grants_a_role_above_their_own(world):
    staff = world["staff_a"]
    before = _roles(world["member_a"])
    assert Role.ADMIN not in grantable_roles(staff)
    assert Role.ADMIN in grantable_roles(world["admin_a"])
    with pytest.raises(PermissionDenied):  # staff manage no accounts, not even a member's
        change_roles(user=world["member_a"], roles=(Role.ADMIN,), acting_user=staff)
    assert _roles(world["member_a"]) == before


def test_an_admin_cannot_forge_roles_groups_or_superuser_through_the_form(world):
    member = world["member_a"]
    group_b = world["b"].role_group(Role.ADMIN)
    client = _client(world, "admin_a")
    response = client.post(f"/admin/users/edit/{member.pk}/", {
        "email": member.email, "first_name": "M", "last_name": "A", "is_active": "on",
        "roles": [Role.MEMBER, Role.OFFICIAL], "is_superuser": "on", "is_staff": "on",
        "is_platform_operator": "on", "groups": [group_b.pk], "union": world["b"].pk})
    assert response.status_code == 200  # "official" is not a choice: the form refuses
    response = client.post(f"/admin/users/edit/{member.pk}/", {
        "email": member.email, "first_name": "M", "last_name": "A", "is_active": "on",
        "roles": [Role.MEMBER], "is_superuser": "on", "is_staff": "on",
        "is_platform_operator": "on", "groups": [group_b.pk], "union": world["b"].pk})
    assert response.status_code == 302
    member = User.objects.get(pk=member.pk)
    assert not (member.is_superuser or member.is_staff or member.is_platform_operator)
    assert member.union_id == world["a"].pk
    assert not group_b.user_set.filter(pk=member.pk).exists()
    assert _roles(member) == {Role.MEMBER}


def test_an_admin_cannot_touch_another_unions_account(world):
    target = world["member_b"].user
    client = _client(world, "admin_a")
    for url in (f"/admin/users/edit/{target.pk}/", f"/admin/users/history/{target.pk}/",
                f"/admin/users/delete/{target.pk}/"):
        assert client.get(url).status_code in (302, 403, 404), url
    response = client.post(f"/admin/users/edit/{target.pk}/", {
        "email": "stolen@esa.example", "first_name": "x", "last_name": "y",
        "roles": [Role.ADMIN]})
    assert response.status_code in (302, 403, 404)
    response = client.post(f"/admin/users/delete/{target.pk}/")
    assert response.status_code in (302, 403, 404)
    with pytest.raises(PermissionDenied):
        update_account(user=target, values={"email": "stolen@esa.example"},
                       acting_user=world["admin_a"])
    with pytest.raises(PermissionDenied):
        change_roles(user=target, roles=(Role.ADMIN,), acting_user=world["admin_a"])
    with pytest.raises(PermissionDenied):
        block_user(user=target, reason="x", acting_user=world["admin_a"])
    target = User.objects.get(pk=target.pk)
    assert target.email != "stolen@esa.example" and target.is_active
    assert _roles(target) == {Role.MEMBER, Role.OFFICIAL}
    # Wagtail's bulk actions (which put anyone in any group) are refused to union admins.
    response = client.post(
        f"/admin/bulk/accounts/user/set_active_state/?id={target.pk}&next=/admin/",
        {"mark_as_active": "False"})
    assert response.status_code in (302, 403)
    assert User.objects.get(pk=target.pk).is_active


def test_reusing_another_unions_ids_in_admin_panel_urls_fails(world):
    client = _client(world, "admin_a")
    position_b = world["member_b"].positions.get()
    assert client.post(f"/admin/union-admin/positions/{position_b.pk}/end/").status_code == 404
    assert client.post(
        f"/admin/union-admin/blacklist/{world['block_b'].pk}/lift/").status_code == 404
    position_b.refresh_from_db()
    assert position_b.ends_on is None
    assert Block.objects.in_force().filter(pk=world["block_b"].pk).exists()
    # A's admin panel on B's hostname (the session is A's) serves nothing of either.
    on_b = _client(world, "admin_a", union="b")
    for url in ("/admin/union-admin/blacklist/", "/admin/union-admin/settings/",
                "/admin/union-admin/positions/"):
        response = on_b.get(url)
        assert response.status_code in (302, 403), url
        assert b"b&#x27;s business" not in response.content


def test_a_member_of_another_union_cannot_be_appointed_through_a(world):
    client = _client(world, "admin_a")
    response = client.post("/admin/union-admin/positions/", {
        "kind": PositionKind.UNION_COUNCIL_MEMBER,
        "person": world["member_b"].pk, "starts_on": "2026-01-01"})
    assert response.status_code == 200  # the form: no such member in union A
    assert world["member_b"].positions.count() == 1

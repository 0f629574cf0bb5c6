"""The admin's user views: scoped to the admin's union, writes through the actions."""

import pytest
from django.test import Client

from portal.accounts.models import User
from portal.audit.models import AuditEntry
from portal.union.models import Role
from tests.factories import make_person, make_union


@pytest.fixture
def world(db):
    a, b = make_union("ua"), make_union("ub")
    admin_a = make_person(a, roles=(Role.ADMIN,)).user
    staff_a = make_person(a, roles=(Role.STAFF,)).user
    member_a = make_person(a, roles=(Role.MEMBER,)).user
    member_b = make_person(b, roles=(Role.MEMBER,), first_name="Canary").user
    return {"a": a, "b": b, "admin_a": admin_a, "staff_a": staff_a, "member_a": member_a,
            "member_b": member_b}


def _client(union, user):
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(user)
    return client


def test_admin_lists_only_own_unions_accounts(world):
    client = _client(world["a"], world["admin_a"])
    response = client.get("/admin/users/")
    assert response.status_code == 200
    assert world["member_a"].email.encode() in response.content
    assert world["member_b"].email.encode() not in response.content
    listed = AuditEntry.objects.filter(target="admin:users", actor=world["admin_a"])
    assert listed.filter(person_id=world["member_a"].person.pk).exists()
    # The group filter offers the own union's groups only (names carry the slug).
    assert b"ub: " not in response.content
    response = client.get("/admin/users/?q=Canary")
    assert world["member_b"].email.encode() not in response.content


def test_staff_and_members_cannot_open_the_user_views(world):
    for name in ("staff_a", "member_a"):
        client = _client(world["a"], world[name])
        assert client.get("/admin/users/").status_code in (302, 403), name
        response = client.get(f"/admin/users/edit/{world['member_a'].pk}/")
        assert response.status_code in (302, 403, 404)


def test_admin_edits_roles_and_fields_through_the_actions(world):
    client = _client(world["a"], world["admin_a"])
    member = world["member_a"]
    url = f"/admin/users/edit/{member.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": member.email, "first_name": "New", "last_name": "N",
                                 "is_active": "on", "roles": [Role.MEMBER, Role.STAFF]})
    assert response.status_code == 302, response.content[:2000]
    member = User.objects.get(pk=member.pk)
    assert member.first_name == "New"
    assert set(member.groups.values_list("union_role__role", flat=True)) == {"member", "staff"}
    assert AuditEntry.objects.filter(target=f"user:{member.pk}", action="grant").exists()
    assert AuditEntry.objects.filter(target=f"user:{member.pk}", action="edit").exists()


def test_admin_adds_an_account_to_own_union(world):
    client = _client(world["a"], world["admin_a"])
    response = client.post("/admin/users/new/", {"email": "new@ua.example", "first_name": "N",
                                                  "last_name": "M", "roles": [Role.STAFF]})
    assert response.status_code == 302, response.content[:2000]
    user = User.objects.get(email="new@ua.example")
    assert user.union == world["a"]
    assert not user.has_usable_password()
    assert list(user.groups.values_list("union_role__role", flat=True)) == ["staff"]


def test_another_unions_account_is_a_404(world):
    client = _client(world["a"], world["admin_a"])
    pk = world["member_b"].pk
    for url in (f"/admin/users/edit/{pk}/", f"/admin/users/history/{pk}/",
                f"/admin/users/usage/{pk}/", f"/admin/users/delete/{pk}/"):
        assert client.get(url).status_code in (403, 404), url


def test_an_admin_cannot_lock_themself_out(world):
    admin = world["admin_a"]
    client = _client(world["a"], admin)
    url = f"/admin/users/edit/{admin.pk}/"
    response = client.post(url, {"email": admin.email, "first_name": "A", "last_name": "B",
                                 "roles": [Role.MEMBER, Role.ADMIN]})  # is_active unticked
    assert response.status_code == 200
    response = client.post(url, {"email": admin.email, "first_name": "A", "last_name": "B",
                                 "is_active": "on", "roles": [Role.MEMBER]})
    assert response.status_code == 200
    admin = User.objects.get(pk=admin.pk)
    assert admin.is_active
    assert admin.groups.filter(union_role__role=Role.ADMIN).exists()

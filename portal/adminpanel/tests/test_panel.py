"""The union admin panel: settings, board and council, dashboard, menu, operator."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from portal.accounts.actions import create_platform_operator
from portal.accounts.models import User
from portal.adminpanel.selectors import profile_counts
from portal.audit.models import AuditEntry
from portal.people.models import PositionKind, PositionOfTrust
from portal.union.actions import union_indexes
from portal.union.models import Role, Union, UnionFeature, UnionSettings
from tests.factories import make_person, make_union


@pytest.fixture
def world(db):
    a = make_union("pa")
    return {
        "a": a,
        "admin": make_person(a, roles=(Role.ADMIN,)).user,
        "staff": make_person(a, roles=(Role.STAFF,)).user,
        "member": make_person(a, roles=(Role.MEMBER,)),
    }


def _client(union, user):
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(user)
    return client


def test_admin_edits_union_settings(world):
    client = _client(world["a"], world["admin"])
    assert client.get("/admin/union-admin/settings/").status_code == 200
    response = client.post("/admin/union-admin/settings/", {
        "name": "Renamed union", "default_language": "sv",
        "contact_email": "info@pa.example", "member_service_email": "",
        "privacy_contact_email": "dpo@pa.example", "contact_phone": "+358 1",
        "features": [UnionFeature.ACTIVITY]})
    assert response.status_code == 302
    union = Union.objects.get(pk=world["a"].pk)
    assert (union.name, union.default_language) == ("Renamed union", "sv")
    union_settings = UnionSettings.for_union(union)
    assert union_settings.privacy_contact_email == "dpo@pa.example"
    assert union_settings.feature_on(UnionFeature.ACTIVITY)
    assert not union_settings.feature_on(UnionFeature.MESSAGING)
    assert AuditEntry.objects.filter(target="union:pa", action="edit").exists()
    staff = _client(world["a"], world["staff"])
    assert staff.get("/admin/union-admin/settings/").status_code in (302, 403)


def test_staff_appoint_and_end_board_members_and_the_grants_follow(world):
    client = _client(world["a"], world["staff"])
    member = world["member"]
    response = client.post("/admin/union-admin/positions/", {
        "kind": PositionKind.UNION_BOARD_MEMBER, "person": member.pk,
        "starts_on": "2025-01-01", "ends_on": ""})
    assert response.status_code == 302
    position = PositionOfTrust.objects.get(person=member)
    assert position.scope_page_id == world["a"].root_page_id
    user = User.objects.get(pk=member.user_id)
    assert user.groups.filter(union_role__role=Role.OFFICIAL).exists()
    response = client.get("/admin/union-admin/positions/")
    assert member.full_name.encode() in response.content
    assert AuditEntry.objects.filter(person_id=member.pk, action="list").exists()
    assert client.post(f"/admin/union-admin/positions/{position.pk}/end/").status_code == 302
    position.refresh_from_db()
    assert position.ends_on == timezone.localdate() - dt.timedelta(days=1)
    assert not user.groups.filter(union_role__role=Role.OFFICIAL).exists()
    member_client = _client(world["a"], member.user)
    assert member_client.get("/admin/union-admin/positions/").status_code in (302, 403)


def test_dashboard_counts_active_profiles(world):
    union = world["a"]
    make_person(union, user=False)
    stale = make_person(union)
    User.objects.filter(pk=stale.user_id).update(
        last_login=timezone.now() - dt.timedelta(days=120))
    fresh = [world["admin"], world["staff"]]
    User.objects.filter(pk__in=[u.pk for u in fresh]).update(last_login=timezone.now())
    counts = profile_counts(union)
    assert (counts.people, counts.activated, counts.active) == (5, 4, 2)
    response = _client(union, world["admin"]).get("/admin/")
    assert response.status_code == 200
    assert b"union-profiles-heading" in response.content


def test_menu_links_reach_the_union_page_and_agreements(world):
    client = _client(world["a"], world["staff"])
    response = client.get("/admin/union-admin/agreements/")
    agreements = union_indexes(world["a"]).agreements
    assert response.status_code == 302 and response.url == f"/admin/pages/{agreements.pk}/"
    assert client.get(response.url).status_code == 200
    response = client.get("/admin/union-admin/union-page/")
    assert response.url == f"/admin/pages/{world['a'].root_page_id}/edit/"
    assert client.get(response.url).status_code == 200


def test_the_operator_creates_a_union_but_has_no_union_role(world):
    operator = create_platform_operator(email="op@service.example")
    client = Client()
    client.force_login(operator)
    response = client.post("/admin/union-admin/unions/new/", {
        "name": "New union", "slug": "newu", "hostname": "newu.localhost", "port": 80,
        "default_language": "fi", "admin_email": "first@newu.example"})
    assert response.status_code == 302
    union = Union.objects.get(slug="newu")
    first = User.objects.get(email="first@newu.example")
    assert first.union == union and first.groups.filter(union_role__role=Role.ADMIN).exists()
    assert operator.union is None and not operator.groups.exists()
    assert b"New union" in client.get("/admin/union-admin/unions/").content
    response = client.post(f"/admin/union-admin/unions/{union.pk}/", {
        "name": "Renamed", "default_language": "en", "is_active": ""})
    assert response.status_code == 302
    union.refresh_from_db()
    assert (union.name, union.default_language, union.is_active) == ("Renamed", "en", False)
    assert client.get("/admin/users/").status_code in (302, 403)
    assert client.get("/admin/union-admin/blacklist/").status_code in (302, 403)
    # A union admin cannot create unions.
    admin = _client(world["a"], world["admin"])
    assert admin.get("/admin/union-admin/unions/new/").status_code in (302, 403)


def test_commands_create_an_operator_and_a_union(db):
    call_command("create_platform_operator", "--email", "ops@service.example")
    operator = User.objects.get(email="ops@service.example")
    assert operator.is_platform_operator and operator.union is None
    assert operator.has_perm("wagtailadmin.access_admin")
    call_command("create_union", "--name", "Cmd union", "--slug", "cmdu",
                 "--hostname", "cmdu.localhost", "--admin-email", "a@cmdu.example")
    assert Union.objects.filter(slug="cmdu").exists()

"""The member register in the union admin panel: flow settings (admins) and the list of
sync conflicts (staff), never across unions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from portal.audit.models import AuditEntry
from portal.register.models import Conflict, Winner
from portal.union.models import Role, UnionSettings
from tests.factories import make_person, make_union

FLOW = "/admin/union-admin/register/"
CONFLICTS = "/admin/union-admin/register/conflicts/"


@pytest.fixture
def world(db):
    a, b = make_union("ra"), make_union("rb")
    people = {
        "a_admin": make_person(a, roles=(Role.ADMIN,)),
        "a_staff": make_person(a, roles=(Role.STAFF,)),
        "a_member": make_person(a, roles=(Role.MEMBER,)),
        "b_admin": make_person(b, roles=(Role.ADMIN,)),
        "b_staff": make_person(b, roles=(Role.STAFF,)),
    }
    now = timezone.now()
    for union, person, value in ((a, people["a_member"], "own@a.example"),
                                 (b, people["b_staff"], "secret@b.example")):
        Conflict.objects.create(
            union=union, kind="people", key=person.member_number, person=person,
            field="email", portal_value=value, portal_changed_at=now,
            register_value="reg@example.org", register_changed_at=now, winner=Winner.PORTAL)
    return {"a": a, "b": b, **people}


def _client(union, person):
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(person.user)
    return client


def _flows(kind="two_way", **override):
    data = dict.fromkeys(("people", "employers", "workplaces", "employments", "positions",
                          "trainings"), kind)
    return {**data, **override}


def test_admin_sets_the_flow_per_kind(world):
    client = _client(world["a"], world["a_admin"])
    page = client.get(FLOW)
    assert page.status_code == 200
    response = client.post(FLOW, _flows(people="one_way"))
    assert response.status_code == 302
    union_settings = UnionSettings.for_union(world["a"])
    assert union_settings.register_one_way("people")
    assert not union_settings.register_one_way("employments")
    assert AuditEntry.objects.filter(target="union-settings:register-flow").exists()
    assert not UnionSettings.for_union(world["b"]).register_one_way("people")
    assert client.post(FLOW, _flows(people="sideways")).status_code == 200  # invalid


def test_only_admins_of_the_union_set_the_flow(world):
    for union, person in ((world["a"], world["a_staff"]), (world["a"], world["a_member"]),
                          (world["a"], world["b_admin"])):
        client = _client(union, person)
        assert client.get(FLOW).status_code in (302, 403)
        client.post(FLOW, _flows(people="one_way"))
    assert not UnionSettings.for_union(world["a"]).register_one_way("people")


def test_staff_see_their_own_unions_conflicts_only(world):
    client = _client(world["a"], world["a_staff"])
    response = client.get(CONFLICTS)
    assert response.status_code == 200
    body = response.content.decode()
    assert "own@a.example" in body and "secret@b.example" not in body
    assert AuditEntry.objects.filter(person_id=world["a_member"].pk, action="list",
                                     target=CONFLICTS).exists()
    assert response["Cache-Control"].startswith("private") or "no-store" in response[
        "Cache-Control"]
    # Another union's staff and admin, on this union's hostname or their own.
    for union, person in ((world["a"], world["b_staff"]), (world["a"], world["b_admin"]),
                          (world["a"], world["a_member"])):
        response = _client(union, person).get(CONFLICTS)
        assert response.status_code in (302, 403)
    theirs = _client(world["b"], world["b_staff"]).get(CONFLICTS).content.decode()
    assert "secret@b.example" in theirs and "own@a.example" not in theirs

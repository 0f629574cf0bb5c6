"""Role × object × action, every cell, for two unions.

Each cell is checked through Wagtail's page policy (what the admin, the API and our
front-end views all ask) and, for edits, through the admin's own edit view over HTTP,
so the grants are proven to be honoured identically.
"""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone
from wagtail.models import Page
from wagtail.permissions import page_permission_policy

from portal.access.actions import expire_ended_terms
from portal.access.models import PageUserObjectPermission
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_agreement,
    make_branch,
    make_bulletin,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import module_world

ACTIONS = ("edit", "publish", "add")


def _build_world():
    today = timezone.localdate()
    a, b = make_union("alpha"), make_union("beta")
    branch_a1, branch_a2 = make_branch(a), make_branch(a)
    bulletin_a1 = make_bulletin(branch_a1)
    employer_a = make_employer(a)
    workplace_a1, workplace_a2 = make_workplace(employer_a), make_workplace(employer_a)
    agreement_a = make_agreement(a)
    branch_b1 = make_branch(b)
    employer_b = make_employer(b)
    workplace_b1 = make_workplace(employer_b)

    member = make_person(a, branch=branch_a1, workplace=workplace_a1, roles=(Role.MEMBER,))
    steward = make_person(a, branch=branch_a1, workplace=workplace_a1)
    appoint(steward, PositionKind.SHOP_STEWARD, workplace_a1)
    chair = make_person(a, branch=branch_a1)
    appoint(chair, PositionKind.BRANCH_CHAIR, branch_a1)
    board = make_person(a, branch=branch_a1)
    appoint(board, PositionKind.UNION_BOARD_MEMBER, a.root_page)
    expired_chair = make_person(a, branch=branch_a2)
    appoint(expired_chair, PositionKind.BRANCH_CHAIR, branch_a2,
            starts_on=dt.date(2019, 1, 1), ends_on=today - dt.timedelta(days=1))
    future_chair = make_person(a, branch=branch_a2)
    appoint(future_chair, PositionKind.BRANCH_CHAIR, branch_a2,
            starts_on=today + dt.timedelta(days=30))
    staff_a = make_person(a, roles=(Role.STAFF,))
    admin_a = make_person(a, roles=(Role.ADMIN,))
    staff_b = make_person(b, roles=(Role.STAFF,))
    chair_b = make_person(b, branch=branch_b1)
    appoint(chair_b, PositionKind.BRANCH_CHAIR, branch_b1)

    return {
        "unions": {"a": a, "b": b},
        "objects": {
            "union_a": a.root_page, "branch_a1": branch_a1, "bulletin_a1": bulletin_a1,
            "branch_a2": branch_a2, "employer_a": employer_a, "workplace_a1": workplace_a1,
            "workplace_a2": workplace_a2, "agreement_a": agreement_a,
            "branch_b1": branch_b1, "workplace_b1": workplace_b1,
        },
        "actors": {
            "member": member, "steward": steward, "chair": chair, "board": board,
            "expired_chair": expired_chair, "future_chair": future_chair,
            "staff_a": staff_a, "admin_a": admin_a, "staff_b": staff_b, "chair_b": chair_b,
        },
    }


world_rows, world = module_world(_build_world)

ALL_A = ("union_a", "branch_a1", "bulletin_a1", "branch_a2", "employer_a", "workplace_a1",
         "workplace_a2", "agreement_a")
# Subpages each object allows (leaf pages allow none, so nobody may "add" under them).
HAS_SUBPAGE_TYPES = {"union_a", "branch_a1", "branch_a2", "employer_a", "branch_b1"}


def _everything(objects):
    return {(o, a) for o in objects for a in ACTIONS if a != "add" or o in HAS_SUBPAGE_TYPES}


EXPECTED: dict[str, set[tuple[str, str]]] = {
    "member": set(),
    "board": set(),
    "expired_chair": set(),
    "future_chair": set(),
    "steward": {("workplace_a1", "edit"), ("workplace_a1", "publish")},
    "chair": {("branch_a1", "edit"), ("branch_a1", "publish"), ("branch_a1", "add"),
              ("bulletin_a1", "edit"), ("bulletin_a1", "publish")},
    "staff_a": _everything(ALL_A),
    "admin_a": _everything(ALL_A),
    "staff_b": _everything(("branch_b1", "workplace_b1")),
    "chair_b": {("branch_b1", "edit"), ("branch_b1", "publish"), ("branch_b1", "add")},
}


def _allowed(user, page: Page, action: str) -> bool:
    tester = page.permissions_for_user(user)
    return {"edit": tester.can_edit, "publish": tester.can_publish,
            "add": tester.can_add_subpage}[action]()


def test_every_cell_of_the_matrix_through_the_policy(world):
    objects = world["objects"]
    for actor_name, person in world["actors"].items():
        user = type(person.user).objects.get(pk=person.user_id)  # fresh: no cached rights
        for object_name, page in objects.items():
            for action in ACTIONS:
                expected = (object_name, action) in EXPECTED[actor_name]
                got = _allowed(user, Page.objects.get(pk=page.pk), action)
                assert got == expected, f"{actor_name} {action} {object_name}: {got}"


def test_edit_cells_through_the_admin_edit_view(world):
    objects = world["objects"]
    for actor_name, person in world["actors"].items():
        union = person.union
        client = Client(HTTP_HOST=union.site.hostname)
        client.force_login(person.user)
        for object_name, page in objects.items():
            response = client.get(f"/admin/pages/{page.pk}/edit/")
            expected = (object_name, "edit") in EXPECTED[actor_name]
            assert (response.status_code == 200) == expected, (
                f"{actor_name} GET edit {object_name}: {response.status_code}"
            )


def test_explorer_shows_a_chair_only_their_branch(world):
    chair = world["actors"]["chair"].user
    objects = world["objects"]
    assert page_permission_policy.explorable_root_instance(chair).pk == objects["branch_a1"].pk
    explorable = set(page_permission_policy.explorable_instances(chair).values_list("pk",
                                                                                   flat=True))
    assert objects["branch_a1"].pk in explorable
    assert objects["bulletin_a1"].pk in explorable
    for other in ("branch_a2", "workplace_a1", "branch_b1", "employer_a"):
        assert objects[other].pk not in explorable, other


def test_staff_explorer_is_their_union(world):
    staff_a = world["actors"]["staff_a"].user
    union_a, union_b = world["unions"]["a"], world["unions"]["b"]
    assert page_permission_policy.explorable_root_instance(staff_a).pk == union_a.root_page_id
    explorable = page_permission_policy.explorable_instances(staff_a)
    assert not explorable.filter(path__startswith=union_b.root_page.path).exists()


def test_expired_term_stops_counting_and_the_daily_task_removes_it(world):
    expired = world["actors"]["expired_chair"]
    # The grant row may still be there until the task runs; it must not count meanwhile.
    assert not _allowed(expired.user, world["objects"]["branch_a2"], "edit")
    PageUserObjectPermission.objects.filter(user=expired.user).delete()  # start clean
    grant_all_then_expire = world["actors"]["chair"]
    position = grant_all_then_expire.positions.get()
    PageUserObjectPermission.objects.filter(user=grant_all_then_expire.user).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1))
    position.ends_on = timezone.localdate() - dt.timedelta(days=1)
    position.save()
    assert expire_ended_terms() >= 1
    assert not PageUserObjectPermission.objects.filter(user=grant_all_then_expire.user).exists()
    assert not grant_all_then_expire.user.groups.filter(union_role__role=Role.OFFICIAL).exists()


def test_future_term_starts_counting_on_its_first_day(world):
    future = world["actors"]["future_chair"]
    branch = world["objects"]["branch_a2"]
    assert not _allowed(future.user, branch, "edit")
    PageUserObjectPermission.objects.filter(user=future.user).update(
        valid_from=timezone.localdate())
    user = type(future.user).objects.get(pk=future.user_id)
    assert _allowed(user, branch, "edit")
    # The daily task gives the elected-official role (admin access, people lists on the
    # front end) to those whose term has begun, and leaves everyone else as they are.
    assert not user.groups.filter(union_role__role=Role.OFFICIAL).exists()
    future.positions.update(starts_on=timezone.localdate())
    assert expire_ended_terms() == 1
    assert user.groups.filter(union_role__role=Role.OFFICIAL).exists()
    assert expire_ended_terms() == 0


def test_explorer_menu_api_follows_the_same_grants(world):
    """The admin's explorer menu (its JSON API) honours position grants like the views."""
    objects = world["objects"]
    chair = world["actors"]["chair"]
    client = Client(HTTP_HOST=chair.union.site.hostname)
    client.force_login(chair.user)
    url = "/admin/api/main/pages/?child_of={}&for_explorer=1"
    response = client.get(url.format(objects["branch_a1"].pk))
    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert objects["bulletin_a1"].title in titles
    assert client.get(url.format(objects["branch_a2"].pk)).status_code == 400
    staff_b = world["actors"]["staff_b"]
    client = Client(HTTP_HOST=staff_b.union.site.hostname)
    client.force_login(staff_b.user)
    assert client.get(url.format(objects["branch_a1"].pk)).status_code == 400

"""Who finds what: every role, two unions, both engines. The oracle is the SQL rule
`people_visible_to`, and hand-written expectations besides."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal.people import actions as people_actions
from portal.people.models import PositionKind
from portal.people.scopes import people_visible_to
from portal.union.models import Role
from search import engine
from search.tests.conftest import sync
from tests.factories import (
    appoint,
    make_agreement,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)
from tests.shared import module_world

pytestmark = pytest.mark.django_db


def _build_world():
    a, b = make_union("sa"), make_union("sb")
    branch1, branch2 = make_branch(a, "Alpha branch"), make_branch(a, "Alpha branch")
    employer = make_employer(a, "Alpha employer")
    wp1, wp2 = make_workplace(employer, "Alpha workplace"), make_workplace(employer)
    past = timezone.localdate() - dt.timedelta(days=30)
    p = {
        "member": make_person(a, branch=branch1, workplace=wp1, roles=(Role.MEMBER,)),
        "colleague": make_person(a, branch=branch2, workplace=wp1, user=False),
        "branch_mate": make_person(a, branch=branch1, workplace=wp2, user=False),
        "stranger": make_person(a, branch=branch2, workplace=wp2, user=False),
        "unattached": make_person(a, branch=branch2, employer=employer, user=False),
        "steward": make_person(a, branch=branch2, workplace=wp1),
        "employer_steward": make_person(a, branch=branch2, workplace=wp2),
        "chair": make_person(a, branch=branch1, workplace=wp2),
        "former_steward": make_person(a, branch=branch2, workplace=wp2),
        "ex_colleague": make_person(a, branch=branch2, user=False),
        "staff": make_person(a, roles=(Role.STAFF,)),
        "admin": make_person(a, roles=(Role.ADMIN,)),
        "other_union": make_person(b, roles=(Role.STAFF,)),
        "other_member": make_person(b, roles=(Role.MEMBER,)),
    }
    appoint(p["steward"], PositionKind.SHOP_STEWARD, wp1)
    appoint(p["employer_steward"], PositionKind.SHOP_STEWARD, employer)
    appoint(p["chair"], PositionKind.BRANCH_CHAIR, branch1)
    # An ended term: no longer an official, no longer sees wp1's people.
    appoint(p["former_steward"], PositionKind.SHOP_STEWARD, wp1,
            starts_on=dt.date(2019, 1, 1), ends_on=past)
    # An ended job at wp1: the steward of wp1 no longer sees this person.
    people_actions.add_employment(person=p["ex_colleague"], employer=employer, workplace=wp1,
                                  starts_on=dt.date(2019, 1, 1), ends_on=past)
    pages = {
        "branch": branch1, "employer": employer, "workplace": wp1,
        "agreement": make_agreement(a, "Alpha agreement"),
        "other_branch": make_branch(b, "Alpha branch"),
        "other_employer": make_employer(b, "Alpha employer"),
    }
    return a, b, p, pages


world_rows, world = module_world(_build_world, name="world")


OFFICIALS = {"steward", "employer_steward", "chair"}
EVERY_A = {"member", "colleague", "branch_mate", "stranger", "unattached", "steward",
           "employer_steward", "chair", "former_steward", "ex_colleague", "staff", "admin"}
EXPECTED = {
    "member": OFFICIALS | {"member"},
    "steward": OFFICIALS | {"member", "colleague"},
    "employer_steward": OFFICIALS | {"member", "colleague", "branch_mate", "stranger",
                                     "unattached", "employer_steward", "chair",
                                     "former_steward"},
    "chair": OFFICIALS | {"member", "branch_mate"},
    "former_steward": OFFICIALS | {"former_steward"},
    "staff": EVERY_A,
    "admin": EVERY_A,
    "other_union": set(),
    "other_member": set(),
}


def _found(user, union, query, kind=None):
    results = engine.search(user=user, union=union, query=query, kind=kind, limit=100)
    if engine.requester_for(user, union) is not None:
        # No silent fallback: the engine under test answered.
        assert results.engine == _engine_in_use()
    return results


def _engine_in_use():
    from search.client import is_enabled

    return "elasticsearch" if is_enabled() else "database"


def test_people_found_are_exactly_those_visible(world, engine_name):
    a, _b, persons, _pages = world
    sync()
    names = {person.pk: name for name, person in persons.items()}
    for viewer, expected in EXPECTED.items():
        user = persons[viewer].user
        results = _found(user, a, "Testinen", kind="person")
        found = {names[h.object_id] for h in results.hits}
        assert found == expected, (engine_name, viewer, found ^ expected)
        oracle = {names[pk] for pk in people_visible_to(user, a).values_list("pk", flat=True)}
        assert found == oracle, (engine_name, viewer)
        assert results.total == len(expected)


def test_members_find_their_unions_pages_and_nobody_finds_another_unions(world, engine_name):
    a, b, persons, pages = world
    sync()
    for viewer in ("member", "chair", "staff"):
        hits = _found(persons[viewer].user, a, "Alpha").hits
        found = {(h.kind, h.object_id) for h in hits}
        assert ("branch", pages["branch"].pk) in found, (engine_name, viewer)
        assert ("employer", pages["employer"].pk) in found
        assert ("workplace", pages["workplace"].pk) in found
        assert ("agreement", pages["agreement"].pk) in found
        assert ("branch", pages["other_branch"].pk) not in found
        assert ("employer", pages["other_employer"].pk) not in found
    # Union B's staff, on union B's site, find B's pages and none of A's people.
    hits = _found(persons["other_union"].user, b, "Alpha").hits
    assert {h.object_id for h in hits} == {pages["other_branch"].pk, pages["other_employer"].pk}
    assert {h.object_id for h in _found(persons["other_union"].user, b, "Testinen").hits} == {
        persons["other_union"].pk, persons["other_member"].pk}
    # A user of union B on union A's site finds nothing at all.
    assert _found(persons["other_union"].user, a, "Alpha").hits == []
    assert _found(persons["other_member"].user, a, "Testinen").hits == []


def test_anonymous_finds_nothing(world, engine_name):
    a, _b, _persons, _pages = world
    sync()
    assert _found(AnonymousUser(), a, "Alpha").hits == []
    assert engine.autocomplete(user=AnonymousUser(), union=a, query="Alp") == []


def test_facets_count_every_kind(world, engine_name):
    a, _b, persons, _pages = world
    sync()
    results = _found(persons["staff"].user, a, "Alpha")
    assert results.facets == {"workplace": 1, "employer": 1, "branch": 2, "agreement": 1}
    narrowed = _found(persons["staff"].user, a, "Alpha", kind="branch")
    assert narrowed.total == 2 and {h.kind for h in narrowed.hits} == {"branch"}
    assert narrowed.facets == results.facets


def test_pagination_walks_every_hit_once(world, engine_name):
    a, _b, persons, _pages = world
    sync()
    user = persons["staff"].user
    seen = []
    for offset in range(0, 20, 3):
        seen += [(h.kind, h.object_id) for h in
                 engine.search(user=user, union=a, query="Testinen", offset=offset,
                               limit=3).hits]
    assert len(seen) == len(set(seen)) == len(EVERY_A)


def test_member_number_only_for_staff_and_self(world, engine_name):
    a, _b, persons, _pages = world
    sync()
    number = persons["stranger"].member_number
    assert [h.object_id for h in _found(persons["staff"].user, a, number).hits] == [
        persons["stranger"].pk]
    assert _found(persons["chair"].user, a, number).hits == []
    own = persons["member"].member_number
    assert [h.object_id for h in _found(persons["member"].user, a, own).hits] == [
        persons["member"].pk]
    # Even an official the member may see is not found by the official's member number.
    assert _found(persons["member"].user, a, persons["chair"].member_number).hits == []


def test_restricted_and_unpublished_pages(world, engine_name):
    a, _b, persons, pages = world
    PageViewRestriction.objects.create(page=pages["agreement"],
                                       restriction_type=PageViewRestriction.PASSWORD,
                                       password="x")
    pages["workplace"].unpublish()
    sync()
    member = {(h.kind, h.object_id) for h in _found(persons["member"].user, a, "Alpha").hits}
    staff = {(h.kind, h.object_id) for h in _found(persons["staff"].user, a, "Alpha").hits}
    assert ("agreement", pages["agreement"].pk) not in member
    assert ("agreement", pages["agreement"].pk) in staff
    assert ("workplace", pages["workplace"].pk) not in member | staff


def test_autocomplete_groups_by_kind(world, engine_name):
    a, _b, persons, pages = world
    sync()
    groups = engine.autocomplete(user=persons["staff"].user, union=a, query="Alph")
    kinds = [g.kind for g in groups]
    assert kinds == ["workplace", "employer", "branch", "agreement"]
    member_groups = engine.autocomplete(user=persons["member"].user, union=a, query="Testi")
    people = {h.object_id for g in member_groups if g.kind == "person" for h in g.hits}
    assert people <= {persons[n].pk for n in EXPECTED["member"]}
    assert people

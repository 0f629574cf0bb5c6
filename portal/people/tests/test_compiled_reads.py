"""The personal reads of the own profile and the timeline run from SQL compiled once per
shape (portal/union/compiled.py): the same rows as the ORM's, for whichever person and
union they are asked about, in as many queries."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.activity import actions as activity_actions
from portal.activity.models import ActivityKind
from portal.activity.selectors import event_rows, timeline_for
from portal.people import actions
from portal.people.models import Person, PositionKind
from portal.people.selectors import employment_rows, own_person, position_rows, trainings_of
from portal.union import compiled
from portal.union.models import Role
from tests.factories import (
    appoint,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)

pytestmark = pytest.mark.django_db

SHAPES = [("own-person",), ("person-employments",), ("person-positions", False),
          ("person-positions", True), ("person-trainings",), ("timeline-events", 100)]


def _person(union, branch, workplace, n: int) -> Person:
    person = make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,))
    actions.add_employment(person=person, employer=workplace.employer,
                           starts_on=dt.date(2024 + n, 1, 1), title=f"Job {n}")
    appoint(person, PositionKind.SHOP_STEWARD, workplace, starts_on=dt.date(2021, 1, n + 1))
    appoint(person, PositionKind.BRANCH_CHAIR, branch, starts_on=dt.date(2022, 1, 1),
            ends_on=dt.date(2030, 1, 1))
    actions.add_training(person=person, name=f"Course {n}", completed_on=dt.date(2023, 1, n + 1))
    activity_actions.record_events(
        union=union, kind=ActivityKind.OTHER, occurs_at=timezone.now(), source=f"t:{n}",
        items=[(person.pk, f"Event {n}", "/")])
    return Person.objects.get(pk=person.pk)


def _reads(person: Person) -> list:
    request = SimpleNamespace(union=person.union, user=person.user)
    return [own_person(request), employment_rows(person), position_rows(person),
            position_rows(person, with_paths=True), trainings_of(person),
            event_rows(person, limit=100), timeline_for(person)]


def _comparable(reads: list) -> list:
    """Model instances by their field values (instances compare by pk only)."""
    def values(obj):
        if hasattr(obj, "_meta"):
            return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
        return obj
    own, *rest = reads
    return [values(own), values(own.branch), rest[:4], [values(t) for t in rest[4]], rest[5:]]


def test_compiled_reads_equal_the_orm_for_each_person_in_as_many_queries():
    union, other_union = make_union("compiled-a"), make_union("compiled-b")
    people = []
    for n, each in enumerate((union, union, other_union)):
        employer = make_employer(each)
        people.append(_person(each, make_branch(each), make_workplace(employer), n))
    first, second, foreign = people
    _reads(first)  # warms what else the reads use (the site's root paths)
    for shape in SHAPES:
        compiled.COMPILED.pop(shape, None)
    with CaptureQueriesContext(connection) as orm_queries:
        through_orm = _reads(first)  # the first call of each shape: the ORM's rows
    assert all(compiled.COMPILED.get(shape) is not None for shape in SHAPES)
    with CaptureQueriesContext(connection) as compiled_queries:
        again = _reads(first)
    assert _comparable(again) == _comparable(through_orm)
    assert len(compiled_queries) == len(orm_queries)
    assert again[1][0][3] == "Job 0" and again[4][0].name == "Course 0"

    # The same SQL with another person's ids: their rows, not the first one's.
    for person in (second, foreign):
        from_sql = _reads(person)
        saved = dict(compiled.COMPILED)
        compiled.COMPILED.clear()
        try:
            # A shape seen for the first time goes through the ORM (and compiles again).
            assert _comparable(from_sql) == _comparable(_reads(person))
        finally:
            compiled.COMPILED.update(saved)
        assert from_sql[0].pk == person.pk and from_sql[0].union_id == person.union_id
        assert {row[3] for row in from_sql[1]} == {"", f"Job {people.index(person)}"}


def test_a_shape_with_equal_parameters_waits_for_distinct_ones():
    union = make_union("compiled-eq")
    # An unsaved person whose id equals the union's: Django's parameters cannot tell
    # union and person apart, so the shape is not compiled from this call.
    compiled.COMPILED.pop(("person-trainings",), None)
    assert trainings_of(Person(pk=union.pk, union_id=union.pk)) == []
    assert ("person-trainings",) not in compiled.COMPILED


def test_scope_page_ids_from_compiled_sql_equal_the_orm():
    """Who an official may find (search, autocomplete, people lists) is asked on every
    search, from SQL compiled once: each official gets their own current scopes."""
    from portal.people.scopes import _scope_page_ids

    union, other_union = make_union("scopes-a"), make_union("scopes-b")
    officials = []
    for each in (union, other_union):
        branch, workplace = make_branch(each), make_workplace(make_employer(each))
        person = make_person(each, branch=branch, roles=(Role.MEMBER,))
        appoint(person, PositionKind.BRANCH_CHAIR, branch)
        appoint(person, PositionKind.SHOP_STEWARD, workplace, starts_on=dt.date(2020, 1, 1),
                ends_on=dt.date(2021, 1, 1))  # ended: no scope
        officials.append((person, branch))
    compiled.COMPILED.pop(("scope-page-ids", 6), None)
    for person, branch in officials:
        scopes = _scope_page_ids(person.user, person.union)
        assert compiled.COMPILED.get(("scope-page-ids", 6)) is not None
        assert scopes == {"branch": [branch.pk]}
    # Another union's official has no scope here.
    assert _scope_page_ids(officials[1][0].user, union) == {}

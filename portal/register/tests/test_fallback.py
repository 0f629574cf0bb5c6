"""The record-by-record path the demo takes on SQLite gives the same answers (run here
on PostgreSQL by calling it directly)."""

from __future__ import annotations

import pytest

from portal.people.models import Employment, Person
from portal.register import fallback
from portal.register.records import BatchResult
from portal.workplaces.models import WorkplacePage
from tests.factories import make_employer, make_union

pytestmark = pytest.mark.django_db


def run(union, kind, records, dry_run=False):
    return fallback.run(union=union, kind=kind, records=records, acting_user=None,
                        api_client=None, source="test", dry_run=dry_run,
                        result=BatchResult(kind=kind, dry_run=dry_run))


def test_fallback_counts_errors_and_references(postgres):
    union, other = make_union(), make_union()
    foreign = make_employer(other)
    people = [{"member_number": f"F{i}", "first_name": "A", "last_name": "B"}
              for i in range(3)]
    result = run(union, "people", people + [{"member_number": "F0", "first_name": "X",
                                              "last_name": "Y"}, {"member_number": "F9"}])
    assert (result.created, [(e.index, e.code) for e in result.errors]) == (
        3, [(3, "duplicate_key"), (4, "required"), (4, "required")])
    assert run(union, "people", people).unchanged == 3
    changed = [{**people[0], "city": "Oulu"}]
    assert run(union, "people", changed).updated == 1
    assert run(union, "people", [{**people[1], "city": "Kemi"}], dry_run=True).updated == 1
    assert Person.objects.for_union(union).get(member_number="F1").city == ""

    assert run(union, "employers", [{"business_id": "0112038-9", "name": "Oy"}]).created == 1
    result = run(union, "workplaces", [
        {"register_id": "W1", "employer": "0112038-9", "name": "Tehdas"},
        {"register_id": "W2", "employer": foreign.business_id, "name": "Ei"}])
    assert result.created == 1
    assert [(e.index, e.field, e.code) for e in result.errors] == [(1, "employer", "not_found")]
    assert WorkplacePage.objects.for_union(union).get().register_id == "W1"
    result = run(union, "employments", [
        {"member_number": "F0", "employer": "0112038-9", "starts_on": "1.1.2020",
         "workplace": "W1"}])
    assert result.created == 1
    assert Employment.objects.for_union(union).get().workplace.register_id == "W1"


def test_fallback_two_way_rule_is_the_set_based_one(postgres):
    """The same later-change-wins rule as twoway.py, with both versions kept."""
    import datetime as dt

    from django.utils import timezone

    from portal.register.models import Conflict

    from .test_feed_and_twoway import _edit_as_member, _set_flow

    union = make_union()
    _set_flow(union, "two_way")
    record = {"member_number": "R1", "first_name": "Aino", "last_name": "Virta",
              "email": "aino@example.org"}
    run(union, "people", [record])
    person = Person.objects.for_union(union).get(member_number="R1")
    _edit_as_member(person, email="member@example.org", city="Lahti")
    earlier = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    result = run(union, "people", [{**record, "email": "register@example.org",
                                    "changed_at": earlier}])
    assert (result.conflicts, result.updated, result.unchanged) == (1, 0, 1)
    person.refresh_from_db()
    assert person.email == "member@example.org"
    conflict = Conflict.objects.for_union(union).get()
    assert (conflict.field, conflict.winner, conflict.portal_value, conflict.register_value,
            conflict.key) == ("email", "portal", "member@example.org",
                              "register@example.org", "R1")
    _edit_as_member(person, email="member2@example.org")
    result = run(union, "people", [{**record, "email": "register2@example.org"}])
    assert (result.conflicts, result.updated) == (1, 1)
    person.refresh_from_db()
    assert person.email == "register2@example.org"
    assert Conflict.objects.for_union(union).first().portal_value == "member2@example.org"
    # The register wrote last: its next change is no conflict.
    assert run(union, "people", [{**record, "email": "r3@example.org"}]).conflicts == 0

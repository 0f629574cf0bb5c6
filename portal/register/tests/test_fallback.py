"""The record-by-record path the demo takes on SQLite gives the same answers (run here
on PostgreSQL by calling it directly)."""

from __future__ import annotations

import pytest

from portal.people.models import Employment, Person
from portal.register import fallback
from portal.register.records import BatchResult
from portal.register.refs import BRANCH_NOT_FOUND
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
    result = run(union, "people", [{**people[0], "branch": "PAL Asikkala 15"}])
    assert [(e.field, e.code, str(e.message)) for e in result.errors] == [
        ("branch", "not_found", str(BRANCH_NOT_FOUND))]
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


def test_fallback_refuses_a_business_id_two_employers_share(postgres):
    """As the set-based path (test_upsert): while two employers of the union's language
    share a business ID, every record naming it is refused as ambiguous, not given to
    the first; a translation sharing the ID is no duplicate."""
    from wagtail.models import Locale

    from portal.workplaces.models import EmployerPage

    union = make_union()
    first, second = make_employer(union), make_employer(union)
    EmployerPage.objects.filter(pk=second.pk).update(business_id=first.business_id)
    bid = first.business_id
    run(union, "people", [{"member_number": "R1", "first_name": "A", "last_name": "B"}])
    for kind, record, field in (
            ("employers", {"business_id": bid, "name": "Kumpi Oy"}, "business_id"),
            ("workplaces", {"register_id": "W1", "employer": bid, "name": "Halli"},
             "employer"),
            ("employments", {"member_number": "R1", "employer": bid,
                             "starts_on": "1.1.2021"}, "employer"),
            ("positions", {"member_number": "R1", "kind": "shop_steward",
                           "scope_kind": "employer", "scope": bid,
                           "starts_on": "1.1.2021"}, "scope")):
        result = run(union, kind, [record])
        assert ([(e.field, e.code) for e in result.errors], result.accepted) == (
            [(field, "ambiguous")], 0), kind
    assert not Employment.objects.for_union(union).exists()
    assert {p.title for p in EmployerPage.objects.filter(pk__in=[first.pk, second.pk])} == {
        first.title, second.title}

    EmployerPage.objects.filter(pk=second.pk).delete()
    first.copy_for_translation(Locale.objects.exclude(pk=first.locale_id).first(),
                               copy_parents=True)
    result = run(union, "employers", [{"business_id": bid, "name": "Oikea Oy"}])
    assert (result.updated, result.errors) == (1, [])
    result = run(union, "employments", [{"member_number": "R1", "employer": bid,
                                         "starts_on": "1.1.2021"}])
    assert (result.created, result.errors) == (1, [])
    assert Employment.objects.for_union(union).get().employer_id == first.pk

"""changes_since paging and tenancy; the two-way conflict rule and its history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.people import actions as people_actions
from portal.people.models import Person
from portal.register.actions import upsert_records
from portal.register.feed import BadCursor
from portal.register.models import Conflict
from portal.register.selectors import changes_since
from portal.union.models import UnionSettings
from tests.factories import appoint, make_employer, make_person, make_union, make_workplace

pytestmark = pytest.mark.django_db


def _register_person(union, **extra):
    upsert_records(union=union, kind="people", source="api", records=[
        {"member_number": "R1", "first_name": "Aino", "last_name": "Virta",
         "email": "aino@example.org", **extra}])
    return Person.objects.for_union(union).get(member_number="R1")


def _writers_in_progress() -> list:
    """What holds the feed's horizon back (this failed once in a full parallel run and
    never alone): the other sessions of this database with a transaction that wrote."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, xact_start, backend_xid, left(query, 200) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchall()


def test_changes_since_pages_in_order_and_skips_register_writes(postgres):
    union, other = make_union(), make_union()
    person = _register_person(union)
    foreign = make_person(other)
    people_actions.update_own_profile(person=foreign, acting_user=foreign.user,
                                      values={"city": "Malmö"})
    changes, cursor = changes_since(union=union, cursor=None)
    assert changes == []  # the register's own writes are not fed back

    employer = make_employer(union)
    workplace = make_workplace(employer)
    workplace.register_id = "W1"
    workplace.save()
    for city in ("Turku", "Pori", "Kemi"):
        _edit_as_member(person, city=city)
    employment = people_actions.add_employment(person=person, employer=employer,
                                               workplace=workplace,
                                               starts_on=dt.date(2024, 1, 1))
    appoint(person, "shop_steward", workplace)

    first, cursor1 = changes_since(union=union, cursor=cursor, limit=2)
    rest, cursor2 = changes_since(union=union, cursor=cursor1, limit=1000)
    allc = first + rest
    assert [c["kind"] for c in allc] == ["people"] * 3 + ["employments", "positions"], (
        _writers_in_progress())
    assert allc[0] == {**allc[0], "action": "updated", "key": {"member_number": "R1"},
                       "fields": {"city": "Kemi"}}
    assert allc[3]["key"] == {"member_number": "R1", "employer": employer.business_id,
                              "starts_on": "2024-01-01"}
    assert allc[3]["fields"]["workplace"] == "W1" and allc[3]["action"] == "created"
    assert allc[4]["key"]["scope"] == "W1" and allc[4]["key"]["kind"] == "shop_steward"
    assert changes_since(union=union, cursor=cursor2) == ([], cursor2)
    # Another union sees only its own member's edit, whatever cursor it passes.
    theirs, _ = changes_since(union=other, cursor="")
    assert [(c["portal_id"], c["fields"]) for c in theirs if c["kind"] == "people"
            and c["action"] == "updated"] == [(foreign.pk, {"city": "Malmö"})]
    assert not any(c["portal_id"] in (person.pk, employment.pk) for c in theirs)
    only_jobs, _ = changes_since(union=union, cursor=cursor, kinds=["employments"])
    assert [c["portal_id"] for c in only_jobs] == [employment.pk]
    with pytest.raises(BadCursor):
        changes_since(union=union, cursor="garbage!")


def _edit_as_member(person, **values):
    from portal.accounts.actions import create_user

    if person.user_id is None:
        account = create_user(email=f"m{person.pk}@example.org", union=person.union,
                              password="x-password-123")
        people_actions.activate_profile(person=person, user=account)
        person.refresh_from_db()
    people_actions.update_own_profile(person=person, acting_user=person.user, values=values)


def _set_flow(union, flow, kind="people"):
    settings = UnionSettings.for_union(union)
    settings.register_flow = {kind: flow}
    settings.save()


def test_two_way_later_change_wins_and_both_versions_are_kept(postgres):
    union = make_union()
    _set_flow(union, "two_way")
    person = _register_person(union)
    _edit_as_member(person, email="member@example.org", city="Lahti")

    # The register changed the email earlier than the member: the member's edit stays.
    earlier = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    result = upsert_records(union=union, kind="people", source="api", records=[
        {"member_number": "R1", "first_name": "Aino", "last_name": "Virta",
         "email": "register@example.org", "changed_at": earlier}])
    assert (result.conflicts, result.updated, result.unchanged) == (1, 0, 1)
    person.refresh_from_db()
    assert person.email == "member@example.org"
    conflict = Conflict.objects.for_union(union).get()
    assert (conflict.field, conflict.winner, conflict.portal_value, conflict.register_value) == (
        "email", "portal", "member@example.org", "register@example.org")

    # A later register change wins; the member's version is kept in the history.
    _edit_as_member(person, email="member2@example.org")
    result = upsert_records(union=union, kind="people", source="api", records=[
        {"member_number": "R1", "first_name": "Aino", "last_name": "Virta",
         "email": "register2@example.org"}])
    assert (result.conflicts, result.updated) == (1, 1)
    person.refresh_from_db()
    assert person.email == "register2@example.org"
    latest = Conflict.objects.for_union(union).first()
    assert (latest.winner, latest.portal_value) == ("register", "member2@example.org")

    # After the register wrote it, the same value again is no conflict.
    again = upsert_records(union=union, kind="people", source="api", records=[
        {"member_number": "R1", "first_name": "Aino", "last_name": "Virta",
         "email": "register3@example.org"}])
    assert (again.conflicts, again.updated) == (0, 1)


def test_one_way_register_overwrites_without_conflict(postgres):
    union = make_union()
    _set_flow(union, "one_way")
    person = _register_person(union)
    _edit_as_member(person, email="member@example.org")
    result = upsert_records(union=union, kind="people", source="api", records=[
        {"member_number": "R1", "first_name": "Aino", "last_name": "Virta",
         "email": "register@example.org",
         "changed_at": (timezone.now() - dt.timedelta(days=1)).isoformat()}])
    assert (result.conflicts, result.updated) == (0, 1)
    person.refresh_from_db()
    assert person.email == "register@example.org"
    assert not Conflict.objects.exists()


def test_two_way_employment_edit_against_a_later_register_record(postgres):
    union = make_union()
    _set_flow(union, "two_way", kind="employments")
    employer = make_employer(union)
    person = _register_person(union)
    record = {"member_number": "R1", "employer": employer.business_id,
              "starts_on": "2024-01-01", "title": "Hitsaaja"}
    upsert_records(union=union, kind="employments", source="api", records=[record])
    employment = person.employments.get()
    _edit_as_member(person)  # an account for the member
    people_actions.update_employment(employment=employment, acting_user=person.user,
                                     values={"title": "Työnjohtaja"})
    result = upsert_records(union=union, kind="employments", source="api",
                            records=[{**record, "title": "Asentaja"}])
    assert (result.conflicts, result.updated) == (1, 1)
    employment.refresh_from_db()
    assert employment.title == "Asentaja"
    conflict = Conflict.objects.for_union(union).get()
    assert (conflict.kind, conflict.field, conflict.portal_value, conflict.winner) == (
        "employments", "title", "Työnjohtaja", "register")


def test_the_feed_says_none_where_the_list_endpoints_do(postgres):
    """No workplace and a union-wide position are None in the feed, as in /employments
    and /positions (a register comparing the two must see no difference)."""
    union = make_union()
    person = _register_person(union)
    _, cursor = changes_since(union=union, cursor=None)
    employer = make_employer(union)
    people_actions.add_employment(person=person, employer=employer, workplace=None,
                                  starts_on=dt.date(2024, 1, 1))
    appoint(person, "union_board_member", union.root_page)
    changes, _ = changes_since(union=union, cursor=cursor)
    by_kind = {c["kind"]: c for c in changes}
    assert by_kind["employments"]["fields"]["workplace"] is None
    assert by_kind["positions"]["key"]["scope"] is None


def test_the_cursor_waits_for_a_transaction_still_in_progress(postgres, settings):
    """An entry made after another transaction began may be passed by that transaction's
    entries when it commits: the feed stops before it until that transaction ends."""
    import psycopg
    from django.db import connection

    settings.REGISTER_FEED_SETTLE_SECONDS = 0
    union = make_union()
    person = _register_person(union)
    _, start = changes_since(union=union, cursor=None)
    _edit_as_member(person, city="Turku")
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        params["dbname"] = cursor.fetchone()[0]
    other = psycopg.connect(**params)  # a writer that has not committed yet
    try:
        other.execute("SELECT pg_current_xact_id()")
        _edit_as_member(person, city="Pori")
        changes, cursor = changes_since(union=union, cursor=start)
        assert len(changes) == 1  # the Turku edit (a change gives the current values)
        assert changes_since(union=union, cursor=cursor) == ([], cursor)
    finally:
        # Rolled back and acknowledged before the feed is read again: a bare close()
        # returns while the server may still list the backend with its transaction.
        other.rollback()
        other.close()
    changes, _ = changes_since(union=union, cursor=cursor)
    assert [c["fields"] for c in changes] == [{"city": "Pori"}]

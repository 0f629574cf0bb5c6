"""The New conversation default list is read rank by rank (the viewer's officials, the
office, the others with a profile, the others without one) and merged: it must list the
same accounts in the same order as one ranked sort of every account the viewer may reach
(`rules.reachable_users`), for each role, whether the others with a profile fill the list
or not; an account without a profile comes after those with one, a member reaches one
only if it wrote to them, and the queries stay the same however many accounts there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Case, IntegerField, Value, When
from django.db.utils import ConnectionHandler
from django.test.utils import CaptureQueriesContext

from portal.access.roles import roles_for
from portal.accounts.actions import create_user
from portal.discussions import actions
from portal.discussions.picker import (
    PICKER_LENGTH,
    _my_official_ids,
    _office_and_writers,
    _suggested_query,
    picker_for,
)
from portal.discussions.rules import _in_union, reachable_users
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import (
    PASSWORD,
    appoint,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)


def _one_sort(user, union) -> list[int]:
    """The ranking as one sort of every reachable account (the form before 2026-12)."""
    official = Role.OFFICIAL in roles_for(user, union)
    office = _in_union(union, (Role.STAFF, Role.ADMIN))
    mine = list(_my_official_ids(user, union))
    rank = Case(When(person__pk__in=mine, then=Value(0)),
                When(office, then=Value(2 if official else 1)),
                default=Value(1 if official else 2), output_field=IntegerField())
    return list(reachable_users(user, union).annotate(rank=rank)
                .order_by("rank", "person__last_name", "last_name", "person__first_name",
                          "first_name", "pk").values_list("pk", flat=True)[:PICKER_LENGTH])


def _listed(user, union) -> list[int]:
    return [c.pk for c in picker_for(user, union, query="", chosen=[]).choices]


@pytest.mark.django_db
def test_the_default_list_is_one_ranked_sort_of_the_reachable():
    union = make_union("rk")
    branch = make_branch(union, title="rk branch")
    workplace = make_workplace(make_employer(union, title="rk employer"), title="rk place")
    steward = make_person(union, branch=branch, workplace=workplace,
                          roles=(Role.MEMBER, Role.OFFICIAL), first_name="rksteward",
                          last_name="Virta")
    appoint(steward, PositionKind.SHOP_STEWARD, workplace)
    member = make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,),
                         first_name="rkmember", last_name="Aho")
    staff = create_user(email="staff@rk.example", union=union, roles=(Role.STAFF,),
                        password=PASSWORD, first_name="rkstaff", last_name="Office")
    # Accounts without a profile who are not office: one wrote to the member.
    writer = create_user(email="writer@rk.example", union=union, roles=(Role.MEMBER,),
                         first_name="rkwriter", last_name="Aaa")
    silent = create_user(email="silent@rk.example", union=union, roles=(Role.MEMBER,),
                         first_name="rksilent", last_name="Aab")
    conversation = actions.start_conversation(
        union=union, acting_user=staff, recipient_ids=[member.user.pk, writer.pk], body="Hei")
    actions.send_message(conversation=conversation, acting_user=writer, body="Moi")
    # Another union's accounts, officials without and with profile: never listed.
    other = make_union("rl")
    appoint(make_person(other, first_name="rlofficial", last_name="Aaa"),
            PositionKind.BRANCH_CHAIR, make_branch(other, title="rl branch"))

    viewers = {"staff": staff, "member": member.user, "steward": steward.user}
    for name, user in viewers.items():
        assert _listed(user, union) == _one_sort(user, union), name
    # Staff reach every account: those without a profile after those with one.
    assert _listed(staff, union)[-2:] == [writer.pk, silent.pk]
    listed = _listed(member.user, union)
    assert writer.pk in listed and silent.pk not in listed  # only who wrote to them
    with CaptureQueriesContext(connection) as few:
        _listed(member.user, union)

    # Officials with a profile enough to fill the list: those without one drop out.
    for n in range(PICKER_LENGTH + 2):
        appoint(make_person(union, roles=(Role.MEMBER,), first_name=f"rko{n:02d}",
                            last_name=f"Berg{n:02d}"),
                PositionKind.BRANCH_SECRETARY, make_branch(union, title=f"rk b{n}"))
    for name, user in viewers.items():
        listed = _listed(user, union)
        assert listed == _one_sort(user, union), name
        assert len(listed) == PICKER_LENGTH and writer.pk not in listed
    with CaptureQueriesContext(connection) as many:
        _listed(member.user, union)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_default_lists_parts_compile_for_sqlite():
    """The demo's database (SQLite) refuses ORDER BY and LIMIT inside a UNION: the
    parts are id subqueries there, and answer as on PostgreSQL."""
    union = make_union("rs")
    workplace = make_workplace(make_employer(union, title="rs employer"), title="rs place")
    steward = make_person(union, workplace=workplace, roles=(Role.MEMBER, Role.OFFICIAL),
                          first_name="rssteward")
    appoint(steward, PositionKind.SHOP_STEWARD, workplace)
    member = make_person(union, workplace=workplace, roles=(Role.MEMBER,),
                         first_name="rsmember")
    create_user(email="staff@rs.example", union=union, roles=(Role.STAFF,),
                first_name="rsstaff", last_name="Office")
    handler = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3",
                                             "NAME": ":memory:"}})
    sqlite = handler["default"]
    try:
        user = member.user
        mine = list(_my_official_ids(user, union))
        found = reachable_users(user, union)
        office, writers = _office_and_writers(user, union)
        on_sqlite = _suggested_query(user, union, found, False, mine, office, writers,
                                     sqlite.features)
        sql, _params = on_sqlite.query.get_compiler(connection=sqlite).as_sql()
        assert "UNION" in sql
        on_postgresql = _suggested_query(user, union, found, False, mine, office, writers,
                                         connection.features)
        assert list(on_sqlite) == list(on_postgresql)
        assert [row[0] for row in on_postgresql] == _one_sort(user, union)
    finally:
        handler.close_all()


@pytest.mark.django_db
def test_a_search_finds_by_the_profiles_or_the_accounts_name_case_aside_not_accents():
    """The search reads the named accounts from trigram indexes first (the people's
    folded names, the accounts' own): the same accounts as before, names holding the
    word case aside — an account's own name too, never an accent-folded match — and
    unavailable people the same way."""
    union = make_union("rn")
    staff = create_user(email="staff@rn.example", union=union, roles=(Role.STAFF,),
                        first_name="rnstaff", last_name="Office")
    maki = make_person(union, roles=(Role.MEMBER,), first_name="Rnaija", last_name="Mäki")
    bare = create_user(email="bare@rn.example", union=union, roles=(Role.MEMBER,),
                       first_name="Rnbare", last_name="Mäkelä")
    make_person(union, user=False, first_name="Rnabsent", last_name="Mäkinen")
    other = make_union("ro")
    make_person(other, roles=(Role.MEMBER,), first_name="Roother", last_name="Mäki")

    def found(query):
        picked = picker_for(staff, union, query=query, chosen=[])
        return [c.pk for c in picked.choices], [c.name for c in picked.unavailable]

    # Those with a profile first (by its name), then the accounts without one.
    assert found("MÄK") == ([maki.user.pk, bare.pk], ["Rnabsent Mäkinen"])
    assert found("mäki") == ([maki.user.pk], ["Rnabsent Mäkinen"])
    assert found("rnbare mäk") == ([bare.pk], [])
    assert found("maki") == ([], [])  # accents are not folded: as before
    assert found("Roother") == ([], [])  # never another union's

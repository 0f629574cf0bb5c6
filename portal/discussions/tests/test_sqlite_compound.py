"""The New conversation default list's UNIONs compile for SQLite, the demo's database,
which refuses an ORDER BY or a LIMIT inside a compound statement: since 593c2a7 the
viewer's officials (asked for every viewer) and an official's list of the people they
represent raised there, so New conversation answered 500 in the demo, while PostgreSQL
— the suite's database — accepted them. The queries are compiled here for SQLite as the
demo's server would, and the SQLite form run on the suite's database for its answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from portal.discussions.picker import _my_official_ids, _represented_rows
from portal.people.models import PositionKind
from portal.people.scopes import people_visible_to
from portal.union.models import Role
from tests.factories import appoint, make_employer, make_person, make_union, make_workplace


@pytest.mark.django_db
def test_the_default_lists_compile_for_sqlite_and_answer_as_on_postgresql(sqlite):
    union = make_union("sqld")
    workplace = make_workplace(make_employer(union))
    steward = make_person(union, workplace=workplace, roles=(Role.MEMBER, Role.OFFICIAL),
                          first_name="sqlsteward")
    appoint(steward, PositionKind.SHOP_STEWARD, workplace)
    rep = make_person(union, workplace=workplace, user=False, first_name="sqlrep",
                      last_name="Aho")
    appoint(rep, PositionKind.SAFETY_REPRESENTATIVE, workplace)
    workers = [make_person(union, workplace=workplace, user=False, first_name=f"sqlw{n}",
                           last_name=last) for n, last in enumerate(["Virta", "Berg"])]
    make_person(union, workplace=workplace, user=False, first_name="sqldead",
                last_name="Alanen", deceased_on=dt.date(2024, 1, 1))
    other = make_union("sqle")
    make_person(other, workplace=make_workplace(make_employer(other)), user=False,
                first_name="sqlother", last_name="Aakula")

    officials = _my_official_ids(steward.user, union)
    officials.query.get_compiler(connection=sqlite).as_sql()  # raised before
    my_officials = list(officials)
    assert rep.pk in my_officials

    absent = people_visible_to(steward.user, union).filter(user__isnull=True,
                                                           deceased_on__isnull=True)
    on_sqlite = _represented_rows(steward.user, union, absent, my_officials,
                                  sqlite.features)
    sql, _params = on_sqlite.query.get_compiler(connection=sqlite).as_sql()  # raised before
    assert "UNION" in sql
    on_postgresql = _represented_rows(steward.user, union, absent, my_officials,
                                      connection.features)
    expected = [(p.pk, p.first_name, p.last_name) for p in (rep, workers[1], workers[0])]
    assert list(on_sqlite) == list(on_postgresql) == expected

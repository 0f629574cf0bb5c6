"""An official's rights (positions and team places) are one UNION ALL. The demo runs on
SQLite, which refuses an ORDER BY inside a compound statement: with the models' default
ordering left in its parts, every page of a shop steward or branch chair answered 500
there (the navigation asks for the campaign centre's entry), while PostgreSQL — the
suite's database — accepted it. The query is compiled here for SQLite as the demo's
server would, and run on the suite's database for its answer."""

from __future__ import annotations

import pytest

from portal.campaigns.permissions import build_access, places
from portal.people.models import PositionKind, ScopeKind
from portal.union.models import Role
from tests.factories import appoint, make_employer, make_person, make_union, make_workplace


@pytest.mark.django_db
def test_an_officials_rights_compile_for_sqlite_and_answer(sqlite):
    union = make_union("sqlc")
    workplace = make_workplace(make_employer(union))
    steward = make_person(union, workplace=workplace, roles=(Role.MEMBER, Role.OFFICIAL))
    appoint(steward, PositionKind.SHOP_STEWARD, workplace)

    rows = places(steward.user, union, {Role.MEMBER, Role.OFFICIAL})
    sql, _params = rows.query.get_compiler(connection=sqlite).as_sql()  # raised before
    assert "UNION ALL" in sql
    access = build_access(steward.user, union)
    assert access.scopes[ScopeKind.WORKPLACE] == {workplace.pk}

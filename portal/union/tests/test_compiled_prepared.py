"""Compiled shapes (union/compiled.py) and the audit entry run as PostgreSQL prepared
statements: parsed and planned once per connection, with the same rows; a rolled-back
savepoint (after which psycopg drops its statements) changes nothing for the next
request."""

from types import SimpleNamespace

import pytest
from django.db import IntegrityError, NotSupportedError, connection, transaction
from django.test import Client

from portal.audit.log import AuditAction, record_many
from portal.audit.models import AuditEntry
from portal.union.models import Role
from tests.factories import make_person, make_union

pytestmark = pytest.mark.django_db


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_compiled_shapes_are_prepared_and_answer_as_before():
    union = make_union("prepared")
    people = [make_person(union, roles=(Role.MEMBER,)) for _ in range(2)]
    clients = []
    for person in people:
        client = Client(HTTP_HOST=union.site.hostname)
        client.force_login(person.user)
        clients.append(client)
    for _ in range(2):  # the first request compiles each shape, later ones run it
        for client, person in zip(clients, people, strict=True):
            response = client.get("/profile/")
            assert response.status_code == 200
            assert response.context["person"].pk == person.pk
    statements = " ".join(_prepared())
    for table in ("django_session", "accounts_user", "people_person", "people_employment",
                  "audit_auditentry"):  # the profile's audit entry too
        assert f'"{table}"' in statements, table
    # The audit INSERT types its parameters: no actor, no union and no person are NULLs.
    assert record_many(actor=None, union=None, action=AuditAction.LIST,
                       people=[SimpleNamespace(pk=None)], fields=["name"]) == 1
    entry = AuditEntry.objects.order_by("-pk").first()
    assert (entry.actor_id, entry.union_id, entry.person_id, entry.action) == (
        None, None, None, "list")

    # A failed statement in a savepoint: psycopg deallocates its statements.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO union_union (id) VALUES (NULL)")
    for client, person in zip(clients, people, strict=True):
        response = client.get("/profile/")
        assert response.status_code == 200 and response.context["person"].pk == person.pk


@pytest.mark.django_db(transaction=True)
def test_a_column_type_changed_by_another_connection_fails_no_later_request():
    """A migration run while workers keep their connections changes a column's type
    under their prepared statements: outside a transaction the statement runs again on
    a new connection; inside one only that transaction fails."""
    import psycopg

    from portal.union.compiled import execute_prepared

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE stale_plan (x integer)")
        cursor.execute("INSERT INTO stale_plan VALUES (7)")
    sql = "SELECT x FROM stale_plan WHERE x = %s::integer"
    other = psycopg.connect(**connection.get_connection_params(), autocommit=True)
    try:
        assert execute_prepared(connection, sql, [7], fetch=True) == [(7,)]
        assert sql.replace("%s", "$1") in _prepared()

        other.execute("ALTER TABLE stale_plan ALTER COLUMN x TYPE bigint")
        assert execute_prepared(connection, sql, [7], fetch=True) == [(7,)]
        assert execute_prepared(connection, sql, [7], fetch=True) == [(7,)]

        other.execute("ALTER TABLE stale_plan ALTER COLUMN x TYPE integer")
        with pytest.raises(NotSupportedError), transaction.atomic():
            execute_prepared(connection, sql, [7], fetch=True)
        # The rollback dropped the stale statement: the next call is answered.
        assert execute_prepared(connection, sql, [7], fetch=True) == [(7,)]
    finally:
        other.execute("DROP TABLE stale_plan")
        other.close()

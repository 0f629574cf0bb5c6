"""Compiled shapes (union/compiled.py) run as PostgreSQL prepared statements: parsed and
planned once per connection, with the same rows; a rolled-back savepoint (after which
psycopg drops its statements) changes nothing for the next request."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

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
    for table in ("django_session", "accounts_user", "people_person", "people_employment"):
        assert f'"{table}"' in statements, table

    # A failed statement in a savepoint: psycopg deallocates its statements.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO union_union (id) VALUES (NULL)")
    for client, person in zip(clients, people, strict=True):
        response = client.get("/profile/")
        assert response.status_code == 200 and response.context["person"].pk == person.pk

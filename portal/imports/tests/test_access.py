"""Who may reach the imports: union staff and admins of the union only. Another union's
import is a 404; a foreign session on the union's hostname is a visitor; members and
shop stewards get nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from portal.imports.models import ImportJob, ImportStatus
from portal.union.models import Role
from tests.factories import make_person

from .files import csv_bytes
from .flow import _client, _job, _text, _upload, urls

pytestmark = pytest.mark.usefixtures("postgres")


def test_another_unions_import_is_a_404(world):
    client_b = _client(world["b"], world["staff_b"])
    job_b = _job(_upload(client_b, "b.csv", csv_bytes([["member_number"], ["1"]])))
    client_a = _client(world["a"], world["admin"])
    for url in urls(job_b.pk):
        assert client_a.get(url).status_code == 404, url
    assert client_a.post(f"/admin/union-admin/imports/{job_b.pk}/start/",
                         {"run": "import"}).status_code == 404
    assert client_a.post(f"/admin/union-admin/imports/{job_b.pk}/columns/",
                         {"column_0": "member_number"}).status_code == 404
    assert "b.csv" not in _text(client_a.get("/admin/union-admin/imports/"))
    job_b.refresh_from_db()
    assert job_b.status == ImportStatus.UPLOADED


def test_a_foreign_session_on_the_unions_host_gets_nothing(world):
    job = _job(_upload(_client(world["a"], world["staff"]), "a.csv",
                       csv_bytes([["member_number"], ["1"]])))
    foreign = Client(HTTP_HOST=world["a"].site.hostname)
    foreign.force_login(world["staff_b"])
    visitor = Client(HTTP_HOST=world["a"].site.hostname)
    for url in ["/admin/union-admin/imports/", "/admin/union-admin/imports/new/",
                *urls(job.pk)]:
        got, expected = foreign.get(url), visitor.get(url)
        assert (got.status_code, got.get("Location")) == (expected.status_code,
                                                          expected.get("Location")), url
        assert got.status_code == 302


def test_members_and_stewards_cannot_reach_imports(world):
    from portal.people.models import PositionKind
    from tests.factories import appoint, make_employer, make_workplace

    workplace = make_workplace(make_employer(world["a"]))
    steward = make_person(world["a"], workplace=workplace, roles=(Role.MEMBER,))
    appoint(steward, PositionKind.SHOP_STEWARD, workplace)
    job = _job(_upload(_client(world["a"], world["staff"]), "a.csv",
                       csv_bytes([["member_number"], ["1"]])))
    for user in (world["member"], steward.user):
        client = _client(world["a"], user)
        for url in ["/admin/union-admin/imports/", "/admin/union-admin/imports/new/",
                    *urls(job.pk)]:
            response = client.get(url)
            assert response.status_code in (302, 403), (user, url, response.status_code)
            assert b"a.csv" not in response.content
        response = _upload(client, "m.csv", csv_bytes([["member_number"], ["2"]]))
        assert response.status_code in (302, 403)
    assert ImportJob.objects.count() == 1

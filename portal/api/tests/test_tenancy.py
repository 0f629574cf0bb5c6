"""A client of union A can never read or write union B: every endpoint with B's key on
A's hostname (401, like an unknown key), A's key on B's hostname, and A's key naming
B's keys and ids (404 / rejected as not found). Off the unions' hostnames the API is
not there (404)."""

import json

import pytest

from portal.api.models import DATA_KINDS
from portal.audit.models import AuditEntry
from portal.people.models import Person
from tests.factories import _business_id, make_branch, make_employer, make_person, make_union

from .helpers import Register, make_client

pytestmark = pytest.mark.usefixtures("postgres")

SAMPLE = {
    "people": {"member_number": "X1", "first_name": "X", "last_name": "Y"},
    "employers": {"business_id": "0000000-0", "name": "X"},
    "workplaces": {"register_id": "X1", "employer": "0000000-0", "name": "X"},
    "employments": {"member_number": "X1", "employer": "0000000-0", "starts_on": "2020-01-01"},
    "positions": {"member_number": "X1", "kind": "union_board_member", "scope_kind": "union",
                  "starts_on": "2020-01-01"},
    "trainings": {"member_number": "X1", "name": "X", "completed_on": "2020-01-01"},
}


def every_call():
    """(method, path, body) of every operation of /api/v1/ (the test below checks
    this list against the URL patterns, so a new endpoint cannot be missed)."""
    calls = []
    for kind in DATA_KINDS:
        calls += [("GET", f"/api/v1/{kind}", None),
                  ("GET", f"/api/v1/{kind}/key" if kind in ("employments", "positions",
                                                             "trainings")
                   else f"/api/v1/{kind}/X1", None),
                  ("POST", f"/api/v1/{kind}/bulk", {"records": [SAMPLE[kind]]})]
    return [*calls, ("GET", "/api/v1/changes", None)]


def _call(http, method, path, body, key):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if method == "GET":
        return http.get(path, headers=headers)
    return http.post(path, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def world(db):
    a, b = make_union("ta"), make_union("tb")
    _, key_a = make_client(a)
    _, key_b = make_client(b)
    return {"a": a, "b": b, "key_a": key_a, "key_b": key_b}


def test_the_list_covers_every_api_url():
    from portal.api.api import api

    paths = set()
    for pattern in api.urls[0]:
        route = str(pattern.pattern)
        if route not in ("", "openapi.json", "docs"):
            paths.add("/api/v1/" + route.replace("<key>", "X1"))
    assert paths == {path for _m, path, _b in every_call()}


def test_another_unions_key_is_unknown_everywhere(world):
    from django.test import Client

    before = Person.objects.count(), AuditEntry.objects.count()
    http = Client(HTTP_HOST="ta.localhost")
    for method, path, body in every_call():
        for key in (world["key_b"], "du_000000000000_made-up", "not a key", None):
            response = _call(http, method, path, body, key)
            assert response.status_code == 401, (method, path, key, response.content)
            assert response["Content-Type"] == "application/problem+json"
            assert response["WWW-Authenticate"].startswith("Bearer")
    # Nothing written, nothing read: not even an audit entry names a client.
    assert (Person.objects.count(), AuditEntry.objects.count()) == before
    # A's own key on B's hostname is just as unknown.
    other = Client(HTTP_HOST="tb.localhost")
    for method, path, body in every_call():
        assert _call(other, method, path, body, world["key_a"]).status_code == 401


def test_the_answers_do_not_tell_a_foreign_key_from_a_made_up_one(world):
    from django.test import Client

    http = Client(HTTP_HOST="ta.localhost")
    foreign = _call(http, "GET", "/api/v1/people", None, world["key_b"])
    made_up = _call(http, "GET", "/api/v1/people", None,
                    world["key_b"][:-4] + "AAAA")
    assert foreign.content == made_up.content


def test_a_key_names_another_unions_records_and_finds_nothing(world):
    a, b = world["a"], world["b"]
    branch_b = make_branch(b)
    branch_b.number = "77"
    branch_b.save()
    employer_b = make_employer(b)
    person_b = make_person(b, employer=employer_b, user=False)
    person_a = make_person(a, user=False)
    reg = Register("ta.localhost", world["key_a"])

    assert reg.get(f"people/{person_b.member_number}").status_code == 404
    assert reg.get(f"employers/{employer_b.business_id}").status_code == 404
    assert reg.get("people", member_number=person_b.member_number).json()["items"] == []
    assert reg.get("employments", member_number=person_b.member_number).json()["items"] == []
    assert reg.get("employments/key", member_number=person_b.member_number,
                   employer=employer_b.business_id, starts_on="2020-01-01").status_code == 404

    # Writes that name B's branch, employer or person: rejected as "not found", the
    # same answer a number that exists nowhere gets; B's rows untouched.
    def refused(kind, record, field, nowhere):
        foreign = reg.bulk(kind, [record]).json()
        invented = reg.bulk(kind, [{**record, field: nowhere}]).json()
        assert foreign["status"] == 422 and foreign["created"] == 0, foreign
        assert foreign["errors"] == invented["errors"], (foreign, invented)
        assert all(e["field"] == field for e in foreign["errors"])

    refused("people", {"member_number": "A1", "first_name": "A", "last_name": "A",
                       "branch": "77"}, "branch", "99999")
    refused("employments", {"member_number": person_b.member_number,
                            "employer": employer_b.business_id, "starts_on": "2021-01-01"},
            "member_number", "NOBODY")
    refused("workplaces", {"register_id": "W1", "employer": employer_b.business_id,
                           "name": "W"}, "employer", _business_id(987654))
    refused("positions", {"member_number": person_a.member_number, "kind": "branch_chair",
                          "scope_kind": "branch", "scope": "77", "starts_on": "2024-01-01"},
            "scope", "99999")
    person_b.refresh_from_db()
    assert person_b.employments.count() == 1
    assert list(Person.objects.for_union(a)) == [person_a]

    # An upsert by a member number B uses makes a person of A; B's person is untouched.
    response = reg.bulk("people", [{"member_number": person_b.member_number,
                                    "first_name": "Other", "last_name": "Person"}])
    assert response.json()["created"] == 1
    person_b.refresh_from_db()
    assert person_b.first_name != "Other"


def test_the_api_is_not_on_the_platform_host_nor_an_inactive_unions(world, settings):
    from django.test import Client

    settings.PLATFORM_HOSTNAMES = ["platform.localhost"]
    platform = Client(HTTP_HOST="platform.localhost")
    for method, path, body in [*every_call(), ("GET", "/api/v1/docs", None),
                               ("GET", "/api/v1/openapi.json", None), ("GET", "/api/v1/", None),
                               ("GET", "/api/v1/nonsense", None)]:
        assert _call(platform, method, path, body, world["key_a"]).status_code == 404
    a = world["a"]
    a.is_active = False
    a.save()
    inactive = Client(HTTP_HOST="ta.localhost")
    for method, path, body in [*every_call(), ("GET", "/api/v1/docs", None)]:
        assert _call(inactive, method, path, body, world["key_a"]).status_code == 404
    assert Client(HTTP_HOST="tb.localhost").get("/api/v1/docs").status_code == 200

"""Bad input: clear problem details, per-record reasons, no partial writes, nothing
leaked (issue 14, "Bad input"); the idempotency key."""

import json

import pytest

from portal.audit.models import AuditEntry
from portal.people.models import Person
from tests.factories import make_union
from tests.shared import module_world

from .helpers import Register, make_client, register_of

pytestmark = pytest.mark.usefixtures("postgres")

PROBLEM = "application/problem+json"


def person(number, **fields):
    return {"member_number": number, "first_name": "First", "last_name": "Last", **fields}


def _build_union():
    return make_union("bi")


union_rows, union = module_world(_build_union, name="union")


@pytest.fixture
def reg(union):
    return register_of(union)


def _problem(response, status, code):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"urn:digital-union:api:{code}" and body["status"] == status
    assert body["title"] and body.get("detail")
    return body


@pytest.mark.parametrize("body", [b'{"records": [', b"\xff\xfe", b"", b'{"records": [1,]}',
                                  b"[" * 200_000, b'{"records": [' + b"9" * 5000 + b"]}"])
def test_malformed_json(union, reg, body):
    _problem(reg.bulk("people", None, body=body), 400, "malformed-json")
    assert not Person.objects.for_union(union).exists()
    # The refused call is in the audit log with its client and endpoint.
    assert AuditEntry.objects.filter(
        target=f"api-client:{reg.client.pk}:POST /api/v1/people/bulk",
        fields=["refused_malformed-json=400"]).exists()


@pytest.mark.parametrize("body", ['[{"member_number": "1"}]', '{"records": {}}',
                                  '{"records": [], "extra": 1}', '"text"'])
def test_not_a_batch(reg, body):
    _problem(reg.bulk("people", None, body=body), 400, "invalid-body")


def test_not_json_at_all(reg):
    _problem(reg.bulk("people", None, body="a,b", content_type="text/csv"), 415,
             "unsupported-media-type")


def test_wrong_types_unknown_fields_and_duplicates_are_reasons_per_record(union, reg):
    records = [
        person("1"),                                        # good
        person(["not", "text"]),                            # wrong type (key)
        person("3", joined_on=20200101),                    # wrong type (date)
        person("4", shoe_size=42),                          # unknown field
        person("1", first_name="Again"),                    # duplicate key in the batch
        "not an object",
        person("7", email="not-an-address", city="Turku"),  # one bad field: nothing written
        person("8"),                                        # good
    ]
    body = _problem(reg.bulk("people", records), 422, "rejected-records")
    reasons = {(e["index"], e["field"], e["code"]) for e in body["errors"]}
    assert reasons == {
        (1, "member_number", "invalid_type"), (2, "joined_on", "invalid_date"),
        (3, "shoe_size", "unknown_field"), (4, "member_number", "duplicate_key"),
        (5, "", "not_an_object"), (6, "email", "invalid_email"),
    }
    assert all(e["message"] for e in body["errors"])
    assert [r["status"] for r in body["results"]] == ["created"] + ["rejected"] * 6 + [
        "created"]
    assert [r["index"] for r in body["results"]] == list(range(8))
    assert (body["created"], body["rejected"], body["records"]) == (2, 6, 8)
    # The good ones are written, the rejected ones not at all (not even their good fields).
    people = Person.objects.for_union(union)
    assert sorted(people.values_list("member_number", flat=True)) == ["1", "8"]
    assert people.get(member_number="1").first_name == "First"
    assert not people.filter(city="Turku").exists()
    entry = AuditEntry.objects.filter(
        target=f"api-client:{reg.client.pk}:POST /api/v1/people/bulk").last()
    assert "rejected=6" in entry.fields and "created=2" in entry.fields


def test_a_rejected_update_changes_nothing_of_the_record(union, reg):
    reg.bulk("people", [person("U1", city="Oulu")])
    body = reg.bulk("people", [person("U1", city="Kemi", joined_on="31.2.2020")]).json()
    assert body["rejected"] == 1 and body["updated"] == 0
    assert Person.objects.for_union(union).get(member_number="U1").city == "Oulu"


def test_oversized_payload(union, reg, settings):
    settings.API_MAX_BODY_BYTES = 2000
    records = [person(f"O{i}") for i in range(40)]
    assert len(json.dumps({"records": records})) > 2000
    _problem(reg.bulk("people", records), 413, "payload-too-large")
    assert not Person.objects.for_union(union).exists()


def test_too_many_records(union, reg, settings):
    settings.API_MAX_RECORDS = 5
    _problem(reg.bulk("people", [person(f"R{i}") for i in range(6)]), 413, "too-many-records")
    assert reg.bulk("people", [person(f"R{i}") for i in range(5)]).status_code == 200


def test_wrong_query_parameters_are_problems(reg):
    _problem(reg.get("people", limit="many"), 400, "invalid-parameters")
    _problem(reg.get("employments", starts_on="yesterday"), 400, "invalid-parameters")
    _problem(reg.get("nonsense"), 404, "not-found")
    assert reg.get("").json()["openapi"] == "/api/v1/openapi.json"


def test_idempotency_key(union, reg):
    records = [person("I1"), person("I2", email="bad")]
    first = reg.bulk("people", records, idempotency_key="batch-1")
    assert first.status_code == 422 and first.json()["created"] == 1
    Person.objects.for_union(union).filter(member_number="I1").update(city="Changed")
    again = reg.bulk("people", records, idempotency_key="batch-1")
    # The stored answer, and the call did not run again (the city a second run would
    # have kept but counted as "unchanged" is not even looked at).
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again["Idempotent-Replayed"] == "true"
    entries = AuditEntry.objects.filter(
        target=f"api-client:{reg.client.pk}:POST /api/v1/people/bulk")
    assert [e.fields[:2] for e in entries.order_by("pk")] == [
        ["records=2", "created=1"], ["replayed=1"]]
    other = reg.bulk("people", [person("I3")], idempotency_key="batch-1")
    _problem(other, 409, "idempotency-key-reused")
    assert not Person.objects.for_union(union).filter(member_number="I3").exists()
    # The same key on another endpoint is another request too.
    _problem(reg.bulk("trainings", [], idempotency_key="batch-1"), 409,
             "idempotency-key-reused")
    # Another client's same key is its own.
    _, key = make_client(union, name="Second")
    second = Register("bi.localhost", key).bulk("people", [person("I4")],
                                                 idempotency_key="batch-1")
    assert second.status_code == 200 and second.json()["created"] == 1
    _problem(reg.bulk("people", [], idempotency_key="x" * 201), 400, "invalid-idempotency-key")


@pytest.mark.parametrize("path, params, code", [
    ("people/A%00B", {}, "invalid-parameters"),
    ("people", {"member_number": "A\x00B"}, "invalid-parameters"),
    ("employers/%00", {}, "invalid-parameters"),
    ("employments/key", {"member_number": "\x00", "employer": "x", "starts_on": "2020-01-01"},
     "invalid-parameters"),
    ("changes", {"since": "\x00"}, "invalid-cursor"),
    ("people", {"cursor": "\x00"}, "invalid-cursor"),
    ("people/" + "9" * 400 + "x", {}, "invalid-parameters"),
    ("people", {"member_number": "9" * 400}, "invalid-parameters"),
])
def test_odd_keys_are_plain_answers(reg, path, params, code):
    # A NUL byte or a key past the field's length is the caller's mistake, said as such
    # (not a 500, nor an empty list that reads as "no such member").
    _problem(reg.get(path, **params), 400, code)


def test_a_key_of_more_digits_than_any_id_is_found_by_the_list(union, reg):
    # A path segment of only digits past BIGINT is a 404 before any view runs
    # (union.middleware.OutOfRangeIdMiddleware); the list's key filter finds it.
    number = "9" * 20
    reg.bulk("people", [person(number)])
    assert reg.get(f"people/{number}").status_code == 404
    assert [p["member_number"] for p in reg.get("people", member_number=number).json()[
        "items"]] == [number]

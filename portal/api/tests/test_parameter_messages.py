"""A wrong query parameter's reason is in the union's language like the rest of the
problem (it was pydantic's English, "Input should be a valid integer, ...", inside a
Finnish or Swedish answer; found on a walk through the demo)."""

import pytest

from tests.factories import make_union

from .helpers import Register, make_client

pytestmark = pytest.mark.usefixtures("postgres")


@pytest.fixture
def reg(db):
    union = make_union("pm")
    union.default_language = "fi"
    union.save()
    _client, key = make_client(union)
    return Register("pm.localhost", key)


def _reason(response, field):
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert body["type"] == "urn:digital-union:api:invalid-parameters"
    [error] = [e for e in body["errors"] if e["field"] == field]
    assert "Input should" not in error["message"]
    return error


def test_reasons_are_translated(reg):
    assert _reason(reg.get("people", limit="many"), "limit") == {
        "field": "limit", "code": "int_parsing", "message": "Anna kokonaisluku."}
    assert _reason(reg.get("people", limit="5000"), "limit")["message"] == "Enintään 1000."
    assert _reason(reg.get("people", limit="0"), "limit")["message"] == "Vähintään 1."
    response = reg.http.post("/api/v1/people/bulk?dry_run=maybe", '{"records": []}',
                             content_type="application/json", headers=reg.headers)
    assert _reason(response, "dry_run")["message"] == "Anna true tai false."

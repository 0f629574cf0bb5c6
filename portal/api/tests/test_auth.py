"""Keys, scopes, the address allow-list, revoked and paused keys, the rate limit."""

import datetime as dt

import pytest

from portal.api import actions, keys
from portal.api.models import ApiClient
from portal.audit.models import AuditEntry
from portal.people.models import Person
from tests.factories import make_union

from .helpers import Register, make_client

pytestmark = pytest.mark.usefixtures("postgres")

PERSON = {"member_number": "S1", "first_name": "S", "last_name": "T"}


@pytest.fixture
def union(db):
    return make_union("au")


def test_only_a_hash_of_the_key_is_stored(union):
    client, key = make_client(union)
    stored = ApiClient.objects.get(pk=client.pk)
    assert key.startswith(f"du_{stored.key_prefix}_") and len(key) > 50
    assert stored.key_hash == keys.hash_key(key) and key not in str(stored.__dict__)
    assert not keys.matches(key + "x", stored.key_hash)
    assert not keys.matches(key, None)


def test_scopes_are_enforced(union):
    client, key = make_client(union, scopes=["people:read"])
    reg = Register("au.localhost", key)
    assert reg.get("people").status_code == 200
    for response in (reg.bulk("people", [PERSON]), reg.get("employers"),
                     reg.get("employers/1234567-8"), reg.get("changes"),
                     reg.bulk("trainings", [])):
        assert response.status_code == 403, response.content
        assert response.json()["type"] == "urn:digital-union:api:missing-scope"
    assert not Person.objects.for_union(union).exists()
    assert AuditEntry.objects.filter(target=f"api-client:{client.pk}:POST /api/v1/people/bulk",
                                     fields=["refused_scope=1"]).exists()
    actions.update_client(client=client, values={"scopes": ["people:read", "people:write"]},
                          acting_user=None)
    assert reg.bulk("people", [PERSON]).status_code == 200


def test_the_address_allow_list(union):
    _, key = make_client(union, networks=["192.0.2.0/24", "2001:db8::/32"])
    assert Register("au.localhost", key, address="192.0.2.77").get("people").status_code == 200
    assert Register("au.localhost", key, address="2001:db8::1").get("people").status_code == 200
    refused = Register("au.localhost", key, address="203.0.113.5").get("people")
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:digital-union:api:address-not-allowed"
    assert Register("au.localhost", key, address="203.0.113.5").bulk(
        "people", [PERSON]).status_code == 403
    assert not Person.objects.for_union(union).exists()


def test_allow_list_entries_are_checked():
    assert actions.clean_networks(["192.0.2.7/24", " 10.0.0.1 ", "", "192.0.2.0/24"]) == [
        "192.0.2.0/24", "10.0.0.1/32"]
    for bad in ("192.0.2.300", "example.org", "10.0.0.0/33"):
        with pytest.raises(ValueError):
            actions.clean_networks([bad])


def test_revoked_and_paused_keys_are_refused(union):
    client, key = make_client(union)
    reg = Register("au.localhost", key)
    assert reg.get("people").status_code == 200
    actions.update_client(client=client, values={"is_active": False}, acting_user=None)
    assert reg.get("people").status_code == 401
    actions.update_client(client=client, values={"is_active": True}, acting_user=None)
    assert reg.get("people").status_code == 200
    actions.revoke_client(client=client, acting_user=None)
    assert reg.get("people").status_code == 401
    assert reg.bulk("people", [PERSON]).status_code == 401
    # Revoked stays revoked.
    actions.update_client(client=client, values={"is_active": True}, acting_user=None)
    assert reg.get("people").status_code == 401
    assert AuditEntry.objects.filter(target=f"api-client:{client.pk}", action="revoke").exists()


def test_rate_limit_per_client(union, settings):
    # A window of 10^9 s (this one runs from 2001 to 2033): the test never straddles two.
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW = 3, 10**9
    client, key = make_client(union)
    _, other_key = make_client(union, name="Other")
    reg = Register("au.localhost", key)
    assert [reg.get("people").status_code for _ in range(3)] == [200, 200, 200]
    limited = reg.get("people")
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert int(limited["Retry-After"]) > 0
    assert reg.bulk("people", [PERSON]).status_code == 429
    assert not Person.objects.for_union(union).exists()
    # Another client of the same union has its own count.
    assert Register("au.localhost", other_key).get("people").status_code == 200
    client.refresh_from_db()
    assert client.last_used_at is not None


def test_the_window_starts_over():
    union = make_union("aw")
    client, _ = make_client(union)
    t0 = dt.datetime(2026, 1, 1, 12, 0, 10, tzinfo=dt.UTC)
    assert actions.count_call(client=client, now=t0) == (1, 50)
    assert actions.count_call(client=client, now=t0 + dt.timedelta(seconds=20)) == (2, 30)
    assert actions.count_call(client=client, now=t0 + dt.timedelta(seconds=50)) == (1, 60)

"""The admin panel's API client pages: union admins only, their own union only; the
key shown once; edits and revocation through the actions, audited."""

import re

import pytest
from django.test import Client

from portal.api.models import ApiClient
from portal.audit.models import AuditEntry
from portal.union.models import Role
from tests.factories import make_person, make_union

from .helpers import Register, make_client

pytestmark = pytest.mark.usefixtures("postgres")


@pytest.fixture
def world(db):
    a, b = make_union("ca"), make_union("cb")
    return {
        "a": a, "b": b,
        "admin": make_person(a, roles=(Role.ADMIN,)).user,
        "staff": make_person(a, roles=(Role.STAFF,)).user,
        "member": make_person(a, roles=(Role.MEMBER,)).user,
        "admin_b": make_person(b, roles=(Role.ADMIN,)).user,
    }


def _client(host, user):
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def test_admin_adds_a_client_and_sees_the_key_once(world):
    admin = _client("ca.localhost", world["admin"])
    assert admin.get("/admin/union-admin/api-clients/").status_code == 200
    assert admin.get("/admin/union-admin/api-clients/new/").status_code == 200
    response = admin.post("/admin/union-admin/api-clients/new/", {
        "name": "Jäsenrekisteri", "read": ["people", "changes"], "write": ["people"],
        "networks": "192.0.2.0/24\n2001:db8::/48"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(rb'value="(du_[0-9a-f]{12}_[^"]+)"', response.content).group(1).decode()
    client = ApiClient.objects.get(union=world["a"], name="Jäsenrekisteri")
    assert client.scopes == ["people:read", "changes:read", "people:write"]
    assert client.allowed_networks == ["192.0.2.0/24", "2001:db8::/48"]
    assert client.created_by == world["admin"]
    assert AuditEntry.objects.filter(target=f"api-client:{client.pk}", action="create",
                                     actor=world["admin"]).exists()
    # The key works (from an allowed address) and is not shown anywhere again.
    assert Register("ca.localhost", key, address="192.0.2.1").get("people").status_code == 200
    for path in ("/admin/union-admin/api-clients/",
                 f"/admin/union-admin/api-clients/{client.pk}/"):
        page = admin.get(path)
        assert page.status_code == 200 and key.encode() not in page.content
        assert client.key_prefix.encode() in page.content


def test_form_errors(world):
    admin = _client("ca.localhost", world["admin"])
    make_client(world["a"], name="Taken")
    response = admin.post("/admin/union-admin/api-clients/new/", {
        "name": "taken", "read": [], "write": [], "networks": "10.0.0.0/8\nnot-a-network"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "networks", "__all__"}
    assert "not-a-network" in str(form.errors["networks"])
    # The same name in another union is fine.
    assert not ApiClient.objects.filter(union=world["b"]).exists()
    assert admin.post("/admin/union-admin/api-clients/new/", {
        "name": "Other", "read": ["people"]}).status_code == 200


def test_admin_edits_pauses_and_revokes(world):
    client, key = make_client(world["a"], scopes=["people:read"])
    admin = _client("ca.localhost", world["admin"])
    url = f"/admin/union-admin/api-clients/{client.pk}/"
    form = admin.get(url).context["form"]
    assert (form["name"].value(), form["read"].value(), form["write"].value()) == (
        client.name, ["people"], [])
    assert form["is_active"].value() is True
    response = admin.post(url, {"name": "Renamed", "read": ["people", "employers"],
                                "write": ["employers"], "networks": ""})
    assert response.status_code == 302
    client.refresh_from_db()
    assert (client.name, client.is_active) == ("Renamed", False)  # "in use" unticked
    assert client.scopes == ["people:read", "employers:read", "employers:write"]
    assert Register("ca.localhost", key).get("people").status_code == 401
    admin.post(url, {"name": "Renamed", "read": ["people"], "is_active": "on"})
    assert Register("ca.localhost", key).get("people").status_code == 200
    # Revoking asks first: the edit page links to a confirmation page, which changes
    # nothing until its form is sent.
    assert f"{url}revoke/".encode() in admin.get(url).content
    confirm = admin.get(f"{url}revoke/")
    assert confirm.status_code == 200 and confirm.context["client"] == client
    assert b'<form method="post"' in confirm.content
    client.refresh_from_db()
    assert client.revoked_at is None
    assert admin.post(f"{url}revoke/").status_code == 302
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert Register("ca.localhost", key).get("people").status_code == 401
    page = admin.get(url)
    assert b"is_active" not in page.content  # a revoked key cannot be turned back on
    assert admin.get(f"{url}revoke/").status_code == 302  # nothing left to confirm
    assert AuditEntry.objects.filter(target=f"api-client:{client.pk}", action="edit").exists()
    assert AuditEntry.objects.filter(target=f"api-client:{client.pk}", action="revoke").count() == 1


def test_search_and_pages(world):
    for i in range(55):
        make_client(world["a"], name=f"System {i:02d}")
    target, _ = make_client(world["a"], name="Payroll bridge")
    admin = _client("ca.localhost", world["admin"])
    first = admin.get("/admin/union-admin/api-clients/")
    assert len(first.context["clients"]) == 50
    assert admin.get("/admin/union-admin/api-clients/?p=2").context["clients"][-1].name == (
        "System 54")
    found = admin.get("/admin/union-admin/api-clients/", {"q": "payroll"}).context["clients"]
    assert found == [target]
    by_key = admin.get("/admin/union-admin/api-clients/",
                       {"q": f"du_{target.key_prefix}_"}).context["clients"]
    assert by_key == [target]


def test_only_union_admins_of_this_union(world, settings):
    client_a, _ = make_client(world["a"])
    client_b, _ = make_client(world["b"])
    pages = ["/admin/union-admin/api-clients/", "/admin/union-admin/api-clients/new/",
             f"/admin/union-admin/api-clients/{client_a.pk}/"]
    for user in (world["staff"], world["member"]):
        browser = _client("ca.localhost", user)
        for path in pages:
            assert browser.get(path).status_code in (302, 403), (user, path)
        assert browser.post(f"{pages[2]}revoke/").status_code in (302, 403)
    # B's admin on A's hostname is a visitor there; on B's hostname A's ids are 404s.
    foreign = _client("ca.localhost", world["admin_b"])
    for path in pages:
        assert foreign.get(path).status_code in (302, 403)
    admin_b = _client("cb.localhost", world["admin_b"])
    assert admin_b.get(pages[2]).status_code == 404
    assert admin_b.post(f"{pages[2]}revoke/").status_code == 404
    assert admin_b.post(pages[2], {"name": "Hijack", "read": ["people"]}).status_code == 404
    listing = admin_b.get(pages[0])
    assert listing.context["clients"] == [client_b]
    assert client_a.name.encode() not in listing.content
    admin_a = _client("ca.localhost", world["admin"])
    assert admin_a.get(f"/admin/union-admin/api-clients/{client_b.pk}/").status_code == 404
    assert admin_a.get("/admin/union-admin/api-clients/99999999999999999999/").status_code == 404
    client_a.refresh_from_db()
    assert client_a.revoked_at is None and client_a.name != "Hijack"


def test_menu_entry_for_admins_only(world):
    admin = _client("ca.localhost", world["admin"])
    staff = _client("ca.localhost", world["staff"])
    assert b"/admin/union-admin/api-clients/" in admin.get("/admin/").content
    assert b"/admin/union-admin/api-clients/" not in staff.get("/admin/").content

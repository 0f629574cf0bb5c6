"""The union admin panel's strong identification page and the public JWKS (no provider
needed): who may, foreign unions, keys never shown, the key change's second step."""

from __future__ import annotations

import time

from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from portal.audit.models import AuditEntry
from portal.identity.models import IdentityProvider, SignInPolicy
from portal.union.models import Role
from tests.factories import make_person, make_union

URL = "/admin/union-admin/identification/"


def _client(person, host):
    client = Client(HTTP_HOST=host)
    client.force_login(person.user)
    return client


def test_union_admins_configure_and_replace_keys(db, settings):
    a, b = make_union("ida"), make_union("idb")
    admin_a = make_person(a, roles=(Role.ADMIN,))
    admin_b = make_person(b, roles=(Role.ADMIN,))
    member_a = make_person(a)
    assert _client(member_a, "ida.localhost").get(URL).status_code in (302, 403)
    # B's admin on A's hostname is anonymous there (tenant sessions): sent to sign in.
    assert _client(admin_b, "ida.localhost").get(URL).status_code == 302
    client = _client(admin_a, "ida.localhost")
    page = client.get(URL)
    assert page.status_code == 200
    # The form is prefilled "in use" for a first setup; the page says where it stands.
    with translation.override(a.default_language):
        not_set_up = gettext("Not set up yet. Fill in the broker's details below and save, "
                             "then add the keys. Until then everyone signs in with a "
                             "password or a passkey.")
        no_keys = gettext("Saved, but the union has no keys yet: strong sign-in does not "
                          "work until they are added (below).")
    assert not_set_up in page.content.decode()
    form = {"is_enabled": "on", "issuer": "https://broker.example", "client_id": "pal-1",
            "identity_claim": "urn:oid:1.2.246.21", "given_name_claim": "given_name",
            "family_name_claim": "family_name", "member_methods": ["oidc"],
            "official_methods": ["oidc"], "staff_methods": ["password", "oidc"],
            "officials_level": "high"}
    assert client.post(URL, form).status_code == 302
    provider = IdentityProvider.objects.get(union=a)
    assert provider.client_id == "pal-1" and not provider.has_keys
    assert SignInPolicy.objects.get(union=a).officials_level == "high"
    saved = client.get(URL).content.decode()
    assert no_keys in saved and not_set_up not in saved
    # New keys need a fresh second step.
    settings.STEPUP_ENFORCED = True
    asked = client.post(URL + "keys/", {"source": "generate"})
    assert asked.status_code == 302 and "/stepup/" in asked["Location"]
    session = client.session
    session["stepup_at"] = int(time.time())
    session.save()
    assert client.post(URL + "keys/", {"source": "generate"}).status_code == 302
    provider.refresh_from_db()
    assert provider.has_keys and "BEGIN" not in provider.signing_key
    page = client.get(URL).content.decode()
    assert no_keys not in page and not_set_up not in page
    jwks = Client(HTTP_HOST="ida.localhost").get("/oidc/jwks.json").json()
    assert len(jwks["keys"]) == 2 and all("d" not in key for key in jwks["keys"])
    assert jwks["keys"][0]["kid"] in page and '"d"' not in page
    # A's keys are not B's: B publishes none.
    assert Client(HTTP_HOST="idb.localhost").get("/oidc/jwks.json").json() == {"keys": []}
    assert AuditEntry.objects.filter(union=a, target__startswith="identity:keys").exists()
    # A pasted public key is refused; nothing changes.
    kid = jwks["keys"][0]["kid"]
    from portal.identity import keys as key_module

    pem = key_module.generate("sig").as_pem(private=True).decode()
    bad = client.post(URL + "keys/", {"source": "paste", "signing_key": pem,
                                      "encryption_key": '{"kty": "RSA"}'})
    assert bad.status_code == 200
    assert "PRIVATE KEY" not in bad.content.decode()  # a pasted key is never echoed back
    provider.refresh_from_db()
    assert Client(HTTP_HOST="ida.localhost").get("/oidc/jwks.json").json()["keys"][0][
        "kid"] == kid

"""Strong sign-in against the real test provider (services/oidc-provider, started by
bin/services: OIDC_ISSUER and OIDC_REGISTRATION_TOKEN). Each test registers its own client
by dynamic registration. With CI=true a missing provider fails, never skips."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.core.cache import cache
from django.test import Client
from joserfc import jwe, jwt

from portal.accounts.models import User
from portal.audit.models import AuditEntry
from portal.identity import keys, oidc
from portal.identity.models import IdentityProvider, SignInPolicy
from portal.people.models import Person
from portal.union.models import Role
from tests.factories import PASSWORD, make_person, make_union
from tests.shared import rolled_back

AINO = ("test-aino", "150385-9024")
MIKKO = ("test-mikko", "021172-9136")
LOA2, LOA3 = "http://ftn.ficora.fi/2017/loa2", "http://ftn.ficora.fi/2017/loa3"


@pytest.fixture(scope="module")
def issuer():
    issuer, token = os.environ.get("OIDC_ISSUER"), os.environ.get("OIDC_REGISTRATION_TOKEN")
    if not issuer or not token:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("OIDC_ISSUER is not set: bin/services did not start the provider")
        pytest.skip("no test OpenID provider (bin/services start DIR; source DIR/env)")
    return issuer, token


@pytest.fixture(scope="module")
def registered(django_db_setup, django_db_blocker, issuer):
    """One union and its client at the provider for the module; each test's own writes
    roll back (`db`), these at the module's end."""
    with django_db_blocker.unblock(), rolled_back():
        union = make_union("idp", name="Identity union")
        provider = IdentityProvider.objects.create(union=union, issuer=issuer[0],
                                                   client_id="-")
        provider.signing_key = keys.seal(keys.generate(keys.SIGNING))
        provider.encryption_key = keys.seal(keys.generate(keys.ENCRYPTION))
        provider.client_id = oidc.register_client(
            issuer=issuer[0], token=issuer[1], provider=provider,
            redirect_uris=["http://idp.localhost/oidc/callback/"],
            post_logout_redirect_uris=["http://idp.localhost/"])
        provider.save()
        yield {"union": union, "provider": provider}


@pytest.fixture
def world(registered, db):
    cache.clear()
    provider = IdentityProvider.objects.get(pk=registered["provider"].pk)
    return {"union": registered["union"], "provider": provider,
            "client": Client(HTTP_HOST="idp.localhost"), "host": "idp.localhost"}


def _at_provider(url: str, sub: str, acr: str = LOA2) -> str:
    """Drive the provider's login form like a person: pick the identity and level.
    Returns the redirect back to the portal (the callback URL with code and state)."""
    browser = requests.Session()
    answer = browser.get(url, allow_redirects=False, timeout=10)
    for _hop in range(10):
        location = answer.headers.get("location")
        if answer.status_code in (302, 303) and location:
            target = urljoin(answer.url, location)
            if "/oidc/callback/" in target:
                return target
            answer = browser.get(target, allow_redirects=False, timeout=10)
            continue
        form = re.search(r'action="(/interaction/[^"]+/login)"', answer.text)
        assert form, answer.text[:500]
        answer = browser.post(urljoin(answer.url, form.group(1)), data={"sub": sub, "acr": acr},
                              allow_redirects=False, timeout=10)
    raise AssertionError("the provider never sent the browser back")


def _start(world) -> str:
    answer = world["client"].get("/oidc/start/")
    assert answer.status_code == 302
    assert "request=" in answer["Location"]
    return answer["Location"]


def _callback(world, url: str):
    parts = urlsplit(url)
    return world["client"].get(f"{parts.path}?{parts.query}")


def _refusals(union, reason):
    return AuditEntry.objects.filter(union=union, target=f"identity:refused:{reason}").count()


def test_first_strong_sign_in_activates_the_pre_made_profile(world):
    union = world["union"]
    person = make_person(union, user=False, identity_code=AINO[1], first_name="Aino")
    back = _callback(world, _at_provider(_start(world), AINO[0], LOA3))
    assert back.status_code == 302, list(AuditEntry.objects.values_list("target", flat=True))
    person.refresh_from_db()
    assert person.user is not None and person.activated_at is not None
    assert person.user.union_id == union.pk
    session = world["client"].session
    assert session["auth_method"] == "oidc" and session["auth_level"] == "high"
    assert AuditEntry.objects.filter(union=union, action="activate", person_id=person.pk).exists()
    # The identity code is nowhere in clear: not in the session, not in the audit.
    assert AINO[1] not in json.dumps(dict(session))
    assert not AuditEntry.objects.filter(target__contains=AINO[1]).exists()
    # The user menu says how; sign-out also ends the provider's session.
    home = world["client"].get("/")
    assert "Kirjautunut vahvalla tunnistautumisella" in home.content.decode()
    out = world["client"].post("/oidc/logout/")
    assert out.status_code == 200 and "/session/end?client_id=" in out.content.decode()
    assert "_auth_user_id" not in world["client"].session


def test_replayed_callback_and_replayed_code_are_refused(world):
    union = world["union"]
    make_person(union, user=False, identity_code=AINO[1])
    callback = _at_provider(_start(world), AINO[0])
    assert _callback(world, callback).status_code == 302
    accounts = User.objects.filter(union=union).count()
    # The same callback again: its state was used up.
    again = _callback(world, callback)
    assert again.status_code == 403 and _refusals(union, "state") == 1
    # The old code with a fresh state: the provider refuses the used code.
    fresh = _at_provider(_start(world), AINO[0])
    state = parse_qs(urlsplit(fresh).query)["state"][0]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    replay = world["client"].get("/oidc/callback/", {"code": code, "state": state})
    assert replay.status_code == 403 and _refusals(union, "code") == 1
    assert "se on jo käytetty" in replay.content.decode()
    assert User.objects.filter(union=union).count() == accounts


def test_tampered_state_and_nonce_unknown_identity_missing_claim(world):
    union, client = world["union"], world["client"]
    make_person(union, user=False, identity_code=AINO[1])
    callback = _at_provider(_start(world), AINO[0])
    tampered = callback.replace("state=", "state=x")
    assert _callback(world, tampered).status_code == 403 and _refusals(union, "state") == 1
    # The nonce the session expects is not the one in the token.
    callback = _at_provider(_start(world), AINO[0])
    session = client.session
    session["identity_pending"]["nonce"] = "forged"
    session.save()
    assert _callback(world, callback).status_code == 403 and _refusals(union, "nonce") == 1
    # Someone identified but not in this union's register (Mikko).
    unknown = _callback(world, _at_provider(_start(world), MIKKO[0]))
    assert unknown.status_code == 403 and _refusals(union, "unknown") == 1
    assert "Et ole tämän liiton jäsenrekisterissä" in unknown.content.decode()
    # The provider's answer lacks the claim the union reads the code from.
    IdentityProvider.objects.filter(pk=world["provider"].pk).update(identity_claim="urn:x")
    missing = _callback(world, _at_provider(_start(world), AINO[0]))
    assert missing.status_code == 403 and _refusals(union, "identity_claim") == 1
    assert not Person.objects.filter(union=union, user__isnull=False).exists()
    assert not User.objects.filter(union=union).exists()


def test_the_id_token_checks(world):
    """A real token from the provider, checked against a wrong audience, issuer, clock,
    encryption key; and tokens unsigned or signed by someone else."""
    provider = world["provider"]
    callback = _at_provider(_start(world), AINO[0])
    saved = world["client"].session["identity_pending"]
    pending = oidc.Pending(**{k: saved[k] for k in
                              ("state", "nonce", "verifier", "redirect_uri", "started")})
    code = parse_qs(urlsplit(callback).query)["code"][0]
    token = oidc.exchange_code(provider, code=code, pending=pending)["id_token"]
    claims = oidc.id_token_claims(provider, id_token=token, pending=pending, allowed_acr=[])
    assert claims["urn:oid:1.2.246.21"] == AINO[1]

    def reason(prov=provider, id_token=token, **kwargs):
        with pytest.raises(oidc.Refused) as refused:
            oidc.id_token_claims(prov, id_token=id_token, pending=pending,
                                 allowed_acr=kwargs.pop("allowed_acr", []), **kwargs)
        return refused.value.reason

    other = IdentityProvider(union=provider.union, issuer=provider.issuer, client_id="other",
                             signing_key=provider.signing_key,
                             encryption_key=keys.seal(keys.generate(keys.ENCRYPTION)))
    assert reason(other) == "decrypt"
    other.encryption_key = provider.encryption_key
    assert reason(other) == "audience"
    assert reason(now=claims["exp"] + 3600) == "expired"
    assert reason(allowed_acr=[LOA3]) == "acr"
    meta = oidc.metadata(provider.issuer)
    cache.set(f"identity:metadata:{provider.issuer.rstrip('/')}", {**meta, "issuer": "http://x"})
    assert reason() == "issuer"
    cache.set(f"identity:metadata:{provider.issuer.rstrip('/')}", meta)
    # Not from the provider: unsigned, and signed by another key, both encrypted to us.
    ours = keys.load(provider.encryption_key)
    unsigned = ".".join([_b64({"alg": "none"}), _b64(claims), ""])
    forged = jwt.encode({"alg": "RS256"}, claims, keys.generate(keys.SIGNING))
    for inner, expected in ((unsigned, "unsigned"), (forged, "signature")):
        wrapped = jwe.encrypt_compact({"alg": "RSA-OAEP", "enc": "A256GCM", "cty": "JWT"},
                                      inner, keys.keyset(ours).keys[0])
        assert reason(id_token=wrapped) == expected
    assert reason(id_token=forged) == "unencrypted"


def _b64(data: dict) -> str:
    import base64

    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_sign_in_methods_per_role_and_level(world):
    union, client = world["union"], world["client"]
    SignInPolicy.objects.create(union=union, member_methods=["oidc"],
                                official_methods=["oidc"], staff_methods=["password", "oidc"],
                                officials_level="high")
    member = make_person(union)
    refused = client.post("/accounts/login/", {"username": member.user.email,
                                               "password": PASSWORD})
    assert refused.status_code == 200 and "ei voi kirjautua tähän liittoon salasanalla" in (
        refused.content.decode())
    assert "_auth_user_id" not in client.session
    official = make_person(union, user=False, identity_code=AINO[1])
    from portal.accounts.actions import create_user
    from portal.people.actions import activate_profile

    # Staff: the level applies to them as to officials (whose role comes from positions).
    account = create_user(email="staff@idp.example", union=union, roles=(Role.STAFF,))
    activate_profile(person=official, user=account)
    low = _callback(world, _at_provider(_start(world), AINO[0], LOA2))
    assert low.status_code == 403 and _refusals(union, "level") == 1
    high = _callback(world, _at_provider(_start(world), AINO[0], LOA3))
    assert high.status_code == 302 and client.session["auth_level"] == "high"

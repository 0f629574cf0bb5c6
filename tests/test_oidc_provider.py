"""The test OpenID provider that bin/services starts (services/oidc-provider) is a real
server with the brokers' requirements: these talk to it over HTTP, as a relying party."""

import pytest
import requests

from tests import oidc_provider as op


@pytest.fixture(scope="module")
def client(oidc_provider) -> op.Client:
    return op.register(oidc_provider.issuer, oidc_provider.registration_token)


def test_discovery_names_the_broker_profile(oidc_provider):
    meta = op.discovery(oidc_provider.issuer)
    assert meta["issuer"] == oidc_provider.issuer
    assert meta["response_types_supported"] == ["code"]
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]
    assert meta["require_signed_request_object"] is True
    assert meta["request_object_signing_alg_values_supported"] == ["RS256"]
    assert meta["id_token_signing_alg_values_supported"] == ["RS256"]
    assert "RSA-OAEP" in meta["id_token_encryption_alg_values_supported"]
    assert meta["id_token_encryption_enc_values_supported"] == ["A256GCM"]
    assert meta["acr_values_supported"] == [op.LOA2, op.LOA3]
    assert "urn:oid:1.2.246.21" in meta["claims_supported"]
    assert meta["end_session_endpoint"].startswith(oidc_provider.issuer)


def test_registration_needs_the_token_and_the_profile(oidc_provider):
    meta = op.discovery(oidc_provider.issuer)
    signing, encryption = op.new_keys()
    body = op.registration_body(signing, encryption, "http://127.0.0.1:9/callback")

    anonymous = requests.post(meta["registration_endpoint"], json=body, timeout=op.TIMEOUT)
    assert anonymous.status_code == 401

    auth = {"Authorization": f"Bearer {oidc_provider.registration_token}"}
    for change in ({"id_token_encrypted_response_alg": None},        # ID tokens are encrypted
                   {"token_endpoint_auth_method": "client_secret_basic"},
                   {"request_object_signing_alg": "HS256"},
                   {"jwks": None}):
        wrong = {k: v for k, v in {**body, **change}.items() if v is not None}
        answer = requests.post(meta["registration_endpoint"], json=wrong, headers=auth,
                               timeout=op.TIMEOUT)
        assert answer.status_code == 400, (change, answer.text)
        assert answer.json()["error"] == "invalid_client_metadata", change


def test_signed_request_pkce_encrypted_id_token_round_trip(client):
    """The whole code flow with a Swedish-speaking test identity at level high."""
    erik = next(i for i in op.IDENTITIES if i["family_name"] == "Lindqvist")
    verifier, challenge = op.pkce()
    http = requests.Session()
    login = op.authorize(client, http, op.request_object(
        client, state="s-1", nonce="n-1", acr_values=op.LOA3,
        code_challenge=challenge, code_challenge_method="S256"))
    assert "Erik Lindqvist" in login.text
    back = op.sign_in(client, http, login, sub=erik["sub"], acr=op.LOA3)
    assert back["state"] == "s-1" and back["iss"] == client.issuer

    wrong_verifier = op.redeem(client, code=back["code"], verifier="x" * 43)
    assert wrong_verifier.json()["error"] == "invalid_grant"
    # a fresh sign-in (prompt=login: the provider would otherwise reuse its session)
    login = op.authorize(client, http, op.request_object(
        client, state="s-2", nonce="n-2", acr_values=op.LOA3, prompt="login",
        code_challenge=challenge, code_challenge_method="S256"))
    back = op.sign_in(client, http, login, sub=erik["sub"], acr=op.LOA3)
    answer = op.redeem(client, code=back["code"], verifier=verifier)
    assert answer.status_code == 200, answer.text
    id_token = answer.json()["id_token"]
    assert id_token.count(".") == 4  # a JWE, not a bare JWS
    outer, inner, claims = op.open_id_token(client, id_token)
    assert (outer["alg"], outer["enc"], outer["kid"]) == ("RSA-OAEP", "A256GCM",
                                                          client.encryption.kid)
    assert inner["alg"] == "RS256"
    assert claims["urn:oid:1.2.246.21"] == erik["urn:oid:1.2.246.21"]
    assert (claims["given_name"], claims["family_name"]) == ("Erik", "Lindqvist")
    assert claims["acr"] == op.LOA3 and claims["nonce"] == "n-2"
    assert claims["aud"] == client.client_id and claims["iss"] == client.issuer

    replay = op.redeem(client, code=back["code"], verifier=verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(("case", "error", "says"), [
    ("no PKCE", "invalid_request", "PKCE"),
    ("unsigned request object", "invalid_request_object", "alg"),
    ("no request object", "invalid_request", "Request Object must be used"),
])
def test_provider_refuses_a_request_without_pkce_or_signature(client, case, error, says):
    verifier, challenge = op.pkce()
    with_pkce = {"code_challenge": challenge, "code_challenge_method": "S256"}
    http = requests.Session()
    if case == "no PKCE":
        answer = op.authorize(client, http, op.request_object(client, state="s", nonce="n"))
    elif case == "unsigned request object":
        answer = op.authorize(client, http, op.request_object(
            client, alg="none", state="s", nonce="n", **with_pkce))
    else:
        answer = http.get(
            client.meta["authorization_endpoint"], allow_redirects=False, timeout=op.TIMEOUT,
            params={"client_id": client.client_id, "response_type": "code", "scope": "openid",
                    "redirect_uri": client.redirect_uri, "state": "s", "nonce": "n",
                    **with_pkce})
    # The error goes back to the client; no login form, no code.
    assert answer.is_redirect, answer.text[:300]
    back = op.callback_params(answer)
    assert "code" not in back
    assert back["error"] == error and says in back["error_description"], back

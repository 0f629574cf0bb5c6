"""Talking to the test OpenID provider (services/oidc-provider) as a relying party would,
with plain HTTP: register a client by dynamic client registration, send a signed request
object, pick a test identity on the provider's form, redeem the code with a client
assertion. Used by the provider's own tests; the portal's relying party is portal/identity.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import requests
from joserfc import jwe, jwt
from joserfc.jwk import KeySet, RSAKey

IDENTITIES = json.loads(
    (Path(__file__).resolve().parent.parent / "services/oidc-provider/identities.json")
    .read_text(encoding="utf-8"))["identities"]
LOA2 = "http://ftn.ficora.fi/2017/loa2"
LOA3 = "http://ftn.ficora.fi/2017/loa3"
TIMEOUT = 10


@dataclass
class Client:
    issuer: str
    meta: dict
    client_id: str
    redirect_uri: str
    signing: RSAKey = field(repr=False)
    encryption: RSAKey = field(repr=False)


def new_keys() -> tuple[RSAKey, RSAKey]:
    signing = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
    encryption = RSAKey.generate_key(2048, parameters={"use": "enc", "alg": "RSA-OAEP"},
                                     private=True)
    for key in (signing, encryption):
        key.ensure_kid()
    return signing, encryption


def discovery(issuer: str) -> dict:
    answer = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=TIMEOUT)
    answer.raise_for_status()
    return answer.json()


def registration_body(signing: RSAKey, encryption: RSAKey, redirect_uri: str) -> dict:
    return {
        "client_name": "Test union",
        "redirect_uris": [redirect_uri],
        "post_logout_redirect_uris": [redirect_uri],
        "token_endpoint_auth_method": "private_key_jwt",
        "request_object_signing_alg": "RS256",
        "id_token_signed_response_alg": "RS256",
        "id_token_encrypted_response_alg": "RSA-OAEP",
        "id_token_encrypted_response_enc": "A256GCM",
        "jwks": {"keys": [signing.as_dict(private=False), encryption.as_dict(private=False)]},
    }


def register(issuer: str, token: str, redirect_uri: str = "http://127.0.0.1:9/callback") -> Client:
    meta = discovery(issuer)
    signing, encryption = new_keys()
    answer = requests.post(meta["registration_endpoint"], timeout=TIMEOUT,
                           json=registration_body(signing, encryption, redirect_uri),
                           headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.text
    return Client(issuer=issuer, meta=meta, client_id=answer.json()["client_id"],
                  redirect_uri=redirect_uri, signing=signing, encryption=encryption)


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def request_object(client: Client, *, alg: str = "RS256", **params) -> str:
    """The authorization request's parameters as a JWT; alg "none" makes it unsigned."""
    now = int(time.time())
    claims = {"iss": client.client_id, "aud": client.issuer, "iat": now, "exp": now + 300,
              "jti": uuid.uuid4().hex, "client_id": client.client_id, "response_type": "code",
              "scope": "openid profile", "redirect_uri": client.redirect_uri, **params}
    if alg == "none":
        header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{body}."
    return jwt.encode({"alg": alg, "kid": client.signing.kid}, claims, client.signing)


def authorize(client: Client, http: requests.Session, request: str) -> requests.Response:
    """GET the authorization endpoint with a request object, following the provider's own
    redirects but not the one back to the client."""
    return _follow(http, http.get(
        client.meta["authorization_endpoint"], allow_redirects=False, timeout=TIMEOUT,
        params={"client_id": client.client_id, "response_type": "code",
                "scope": "openid profile", "request": request}), client)


def sign_in(client: Client, http: requests.Session, login_page: requests.Response, *,
            sub: str, acr: str) -> dict:
    """Post the provider's login form with a chosen test identity; returns the query
    parameters of the redirect back to the client."""
    assert login_page.status_code == 200, login_page.text[:500]
    action = re.search(r'action="([^"]+/login)"', login_page.text).group(1)
    answer = _follow(http, http.post(urljoin(login_page.url, action), allow_redirects=False,
                                     data={"sub": sub, "acr": acr}, timeout=TIMEOUT), client)
    return callback_params(answer)


def callback_params(answer: requests.Response) -> dict:
    location = answer.headers.get("location", "")
    return {key: values[0] for key, values in parse_qs(urlparse(location).query).items()}


def redeem(client: Client, *, code: str, verifier: str) -> requests.Response:
    now = int(time.time())
    assertion = jwt.encode(
        {"alg": "RS256", "kid": client.signing.kid},
        {"iss": client.client_id, "sub": client.client_id, "aud": client.meta["token_endpoint"],
         "jti": uuid.uuid4().hex, "iat": now, "exp": now + 60},
        client.signing)
    return requests.post(client.meta["token_endpoint"], timeout=TIMEOUT, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": client.redirect_uri,
        "code_verifier": verifier,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion})


def open_id_token(client: Client, id_token: str) -> tuple[dict, dict, dict]:
    """(JWE header, JWS header, claims): decrypt with the client's key, verify the
    provider's RS256 signature. The JWE header repeats iss and aud (RFC 7519 5.3), which
    joserfc only accepts with strict_check_header off."""
    registry = jwe.JWERegistry(algorithms=["RSA-OAEP", "A256GCM"], strict_check_header=False)
    inner = jwe.decrypt_compact(id_token, client.encryption, registry=registry)
    keys = KeySet.import_key_set(requests.get(client.meta["jwks_uri"], timeout=TIMEOUT).json())
    token = jwt.decode(inner.plaintext, keys, algorithms=["RS256"])
    return inner.headers(), token.header, token.claims


def _follow(http: requests.Session, answer: requests.Response, client: Client):
    while answer.is_redirect:
        location = urljoin(answer.url, answer.headers["location"])
        if location.startswith(client.redirect_uri):
            break
        answer = http.get(location, allow_redirects=False, timeout=TIMEOUT)
    return answer

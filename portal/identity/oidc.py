"""The relying party's side of the protocol, shaped like the Finnish Trust Network
brokers: the authorization request as a signed request object (state, nonce, PKCE S256),
the token request authenticated with `private_key_jwt`, and the ID token decrypted
(RSA-OAEP) and verified (RS256). Authlib makes the PKCE challenge and the client
assertion; joserfc (Authlib's JOSE) signs, encrypts and verifies.

Every problem raises `Refused` with a short reason code, which the callback audits and
turns into a translated page. Nothing here keeps the identity code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.core.cache import cache
from joserfc import jwe, jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from . import keys
from .models import ACR_LEVELS

# RSA-OAEP with A256GCM only; the brokers repeat claims (iss, aud) in the JWE header as
# RFC 7519 section 5.3 allows, so unknown header names are not an error.
_JWE = jwe.JWERegistry(algorithms=["RSA-OAEP", "A256GCM"], strict_check_header=False)
TIMEOUT = 10  # seconds, for every call to the provider
METADATA_TTL = 3600


class Refused(Exception):
    """The sign-in cannot go on; `reason` is one of REASONS (identity/views.py)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def metadata(issuer: str) -> dict:
    """The provider's discovery document, cached an hour per issuer."""
    issuer = issuer.rstrip("/")
    cache_key = f"identity:metadata:{issuer}"
    found = cache.get(cache_key)
    if found is None:
        try:
            answer = requests.get(f"{issuer}/.well-known/openid-configuration",
                                  timeout=TIMEOUT)
            answer.raise_for_status()
            found = answer.json()
        except (requests.RequestException, ValueError) as error:
            raise Refused("unavailable", str(error)) from error
        if found.get("issuer", "").rstrip("/") != issuer:
            raise Refused("issuer", "discovery names another issuer")
        cache.set(cache_key, found, METADATA_TTL)
    return found


def provider_keys(meta: dict, *, refresh: bool = False) -> KeySet:
    cache_key = f"identity:jwks:{meta['jwks_uri']}"
    found = None if refresh else cache.get(cache_key)
    if found is None:
        try:
            answer = requests.get(meta["jwks_uri"], timeout=TIMEOUT)
            answer.raise_for_status()
            found = answer.json()
        except (requests.RequestException, ValueError) as error:
            raise Refused("unavailable", str(error)) from error
        cache.set(cache_key, found, METADATA_TTL)
    return KeySet.import_key_set(found)


@dataclass
class Pending:
    """What the session keeps between the redirect and the callback (no personal data)."""

    state: str
    nonce: str
    verifier: str
    redirect_uri: str
    started: int

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def authorization_url(provider, *, redirect_uri: str, acr_values: list[str]) -> tuple[str, Pending]:
    """The redirect to the provider: a signed request object carrying every parameter;
    client_id, response_type and scope are repeated outside it as OIDC Core requires."""
    meta = metadata(provider.issuer)
    pending = Pending(state=generate_token(32), nonce=generate_token(32),
                      verifier=generate_token(64), redirect_uri=redirect_uri,
                      started=int(time.time()))
    now = int(time.time())
    claims = {
        "iss": provider.client_id, "aud": meta["issuer"], "iat": now, "nbf": now,
        "exp": now + 300, "jti": generate_token(24),
        "client_id": provider.client_id, "response_type": "code", "scope": "openid profile",
        "redirect_uri": redirect_uri, "state": pending.state, "nonce": pending.nonce,
        "code_challenge": create_s256_code_challenge(pending.verifier),
        "code_challenge_method": "S256",
    }
    # The assurance level and the identity code asked for explicitly, as the brokers want.
    claims["acr_values"] = " ".join(acr_values or ACR_LEVELS)
    claims["claims"] = {"id_token": {"acr": {"essential": True},
                                     provider.identity_claim: {"essential": True}}}
    signing = keys.load(provider.signing_key)
    request_object = jwt.encode({"alg": "RS256", "kid": signing.kid, "typ": "oauth-authz-req+jwt"},
                                claims, signing)
    query = urlencode({"client_id": provider.client_id, "response_type": "code",
                       "scope": "openid profile", "request": request_object})
    return f"{meta['authorization_endpoint']}?{query}", pending


def exchange_code(provider, *, code: str, pending: Pending) -> dict:
    """The token request, authenticated by a client assertion signed with the union's
    key (`private_key_jwt`) and carrying the PKCE verifier. A reused, expired or foreign
    code is refused by the provider: reason `code`."""
    meta = metadata(provider.issuer)
    signing = keys.load(provider.signing_key)
    session = OAuth2Session(provider.client_id, signing.as_dict(private=True),
                            token_endpoint_auth_method="private_key_jwt")  # noqa: S106
    session.register_client_auth_method(
        PrivateKeyJWT(meta["token_endpoint"], headers={"kid": signing.kid}))
    try:
        token = session.fetch_token(meta["token_endpoint"], grant_type="authorization_code",
                                    code=code, redirect_uri=pending.redirect_uri,
                                    code_verifier=pending.verifier, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise Refused("unavailable", str(error)) from error
    except Exception as error:  # Authlib's OAuthError and friends: the provider said no
        raise Refused("code", str(error)) from error
    if not token.get("id_token"):
        raise Refused("unsigned", "no ID token")
    return token


def id_token_claims(provider, *, id_token: str, pending: Pending, allowed_acr: list[str],
                    now: int | None = None) -> dict:
    """Decrypt the ID token with the union's encryption key (RSA-OAEP, A256GCM), verify
    its RS256 signature with the provider's keys, then its issuer, audience, times,
    nonce and assurance level."""
    meta = metadata(provider.issuer)
    if id_token.count(".") != 4:
        raise Refused("unencrypted", "the ID token is not encrypted")
    try:
        inner = jwe.decrypt_compact(id_token, keys.load(provider.encryption_key),
                                    registry=_JWE).plaintext
    except (JoseError, ValueError) as error:
        raise Refused("decrypt", str(error)) from error
    try:
        signed = jws.extract_compact(inner)
    except (JoseError, ValueError) as error:
        raise Refused("unsigned", str(error)) from error
    if signed.headers().get("alg") != "RS256":
        raise Refused("unsigned", f"alg {signed.headers().get('alg')!r}")
    try:
        token = _verify(inner, meta)
    except JoseError as error:
        raise Refused("signature", str(error)) from error
    registry = jwt.JWTClaimsRegistry(
        now=now, leeway=30,
        iss={"essential": True, "value": meta["issuer"]},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True}, iat={"essential": True},
        nonce={"essential": True, "value": pending.nonce},
    )
    claims = token.claims
    try:
        registry.validate(claims)
    except JoseError as error:
        name = getattr(error, "claim", "") or ""
        reason = {"iss": "issuer", "aud": "audience", "exp": "expired", "nonce": "nonce",
                  "iat": "expired"}.get(name, "claims")
        raise Refused(reason, str(error)) from error
    acr = claims.get("acr", "")
    if acr not in ACR_LEVELS or (allowed_acr and acr not in allowed_acr):
        raise Refused("acr", f"acr {acr!r}")
    return claims


def _verify(inner: bytes, meta: dict):
    try:
        return jwt.decode(inner, provider_keys(meta), algorithms=["RS256"])
    except JoseError:
        # The provider may have rotated its keys since they were cached.
        return jwt.decode(inner, provider_keys(meta, refresh=True), algorithms=["RS256"])


def end_session_url(provider, *, post_logout_redirect_uri: str) -> str | None:
    """Where the provider's own session ends (RP-initiated logout), if it says."""
    try:
        meta = metadata(provider.issuer)
    except Refused:
        return None
    endpoint = meta.get("end_session_endpoint")
    if not endpoint:
        return None
    return endpoint + "?" + urlencode({"client_id": provider.client_id,
                                       "post_logout_redirect_uri": post_logout_redirect_uri})


def register_client(*, issuer: str, token: str, provider, redirect_uris: list[str],
                    post_logout_redirect_uris: list[str]) -> str:
    """Dynamic client registration (RFC 7591) with an initial access token: the union's
    public keys and the algorithms both sides use. Returns the new client id."""
    meta = metadata(issuer)
    body = {
        "client_name": str(provider.union) if provider.union_id else "platform",
        "redirect_uris": redirect_uris,
        "post_logout_redirect_uris": post_logout_redirect_uris,
        "grant_types": ["authorization_code"], "response_types": ["code"],
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "RS256",
        "request_object_signing_alg": "RS256",
        "id_token_signed_response_alg": "RS256",
        "id_token_encrypted_response_alg": "RSA-OAEP",
        "id_token_encrypted_response_enc": "A256GCM",
        "jwks": keys.public_jwks(provider),
    }
    answer = requests.post(meta["registration_endpoint"], json=body, timeout=TIMEOUT,
                           headers={"Authorization": f"Bearer {token}"})
    if answer.status_code >= 400:
        raise Refused("registration", answer.text[:500])
    return answer.json()["client_id"]

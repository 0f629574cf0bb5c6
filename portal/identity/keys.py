"""The union's RSA keys: generated here or pasted (a private JWK or PEM), published as a
public JWKS (`/oidc/jwks.json`), shown in the admin by fingerprint only."""

from __future__ import annotations

import json

from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from . import secrets

SIGNING, ENCRYPTION = "sig", "enc"
ALG = {SIGNING: "RS256", ENCRYPTION: "RSA-OAEP"}


def generate(use: str) -> RSAKey:
    key = RSAKey.generate_key(2048, parameters={"use": use, "alg": ALG[use]}, private=True)
    return _with_kid(key, use)


def parse(text: str, use: str) -> RSAKey:
    """A pasted private key, as a JWK (JSON) or PEM. Raises ValueError when it is not
    an RSA private key of at least 2048 bits."""
    text = (text or "").strip()
    try:
        data = json.loads(text) if text.startswith("{") else text
        key = RSAKey.import_key(data)
    except (JoseError, ValueError, TypeError) as error:
        raise ValueError(str(error)) from error
    if not key.is_private:
        raise ValueError("not a private key")
    if key.raw_value.key_size < 2048:
        raise ValueError("shorter than 2048 bits")
    return _with_kid(RSAKey.import_key(key.as_dict(private=True)), use)


def _with_kid(key: RSAKey, use: str) -> RSAKey:
    data = key.as_dict(private=True)
    data.update(use=use, alg=ALG[use], kid=key.thumbprint())
    return RSAKey.import_key(data)


def seal(key: RSAKey) -> str:
    return secrets.seal(json.dumps(key.as_dict(private=True)))


def load(sealed: str) -> RSAKey:
    return RSAKey.import_key(json.loads(secrets.unseal(sealed)))


def public_jwk(key: RSAKey) -> dict:
    return key.as_dict(private=False)


def fingerprint(key: RSAKey) -> str:
    """The RFC 7638 thumbprint (SHA-256), which is also the key's `kid`."""
    return key.thumbprint()


def public_jwks(provider) -> dict:
    if not provider or not provider.has_keys:
        return {"keys": []}
    return {"keys": [public_jwk(load(provider.signing_key)),
                     public_jwk(load(provider.encryption_key))]}


def keyset(*keys: RSAKey) -> KeySet:
    return KeySet(list(keys))

"""The union's private keys at rest: encrypted with a key derived from
IDENTITY_KEYS_SECRET (or SECRET_KEY when that is not set). Rotating that secret makes the
stored keys unreadable; the union then generates or pastes new ones."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    secret = (getattr(settings, "IDENTITY_KEYS_SECRET", "") or settings.SECRET_KEY).encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"portal.identity private keys").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise ValueError("the stored key cannot be read with this secret") from error

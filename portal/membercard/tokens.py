"""The member card's QR token: signed with SECRET_KEY, expiring, naming union and person.

The token holds ids only (no name or number), so a photographed QR code leaks nothing
by itself; what it proves is checked against the database at verification time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "portal.membercard"


def max_age() -> dt.timedelta:
    return getattr(settings, "MEMBER_CARD_TOKEN_MAX_AGE", dt.timedelta(days=7))


def make_token(*, union_id: int, person_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"u": union_id, "p": person_id},
                                                          compress=True)


@dataclass(frozen=True)
class TokenCheck:
    state: str  # "ok", "expired" or "invalid"
    union_id: int | None = None
    person_id: int | None = None


def read_token(token: str) -> TokenCheck:
    signer = signing.TimestampSigner(salt=SALT)
    try:
        data = signer.unsign_object(token, max_age=max_age())
    except signing.SignatureExpired:
        return TokenCheck("expired")
    except (signing.BadSignature, ValueError, TypeError):
        return TokenCheck("invalid")
    if not isinstance(data, dict) or not {"u", "p"} <= set(data):
        return TokenCheck("invalid")
    return TokenCheck("ok", union_id=data["u"], person_id=data["p"])

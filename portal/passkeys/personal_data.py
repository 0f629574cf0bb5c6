"""Passkeys, declared to the registry (docs/privacy.md)."""

from portal.privacy.registry import Basis, Category, Personal, Retention, Source, Subject, declare

from .models import Passkey

SIGN_IN = Personal(Category.ACCOUNT, Basis.LEGITIMATE, Source.SELF, Retention.ACCOUNT)

declare(Passkey, subjects={"user": Subject.USER}, fields={
    **SIGN_IN.on("user", "name", "created_at", "last_used_at", "transports"),
    **SIGN_IN.but(source=Source.SYSTEM).on("sign_count"),
    "public_key": SIGN_IN.but(withheld="the passkey's public key, useless outside this site"),
    "credential_id": SIGN_IN.but(withheld="the device's random credential id"),
    "user_handle": SIGN_IN.but(source=Source.SYSTEM, withheld="a random account id")},
    not_personal={"rp_id": "the union site's hostname"})

"""Passkeys, declared to the registry (docs/privacy.md)."""

from portal.privacy.registry import Basis, Category, Personal, Retention, Source, Subject, declare

from .models import Passkey

SIGN_IN = Personal(Category.ACCOUNT, Basis.LEGITIMATE, Source.SELF, Retention.ACCOUNT)
KEY = "the passkey's public key and ids, which identify nothing without the device"

declare(Passkey, subjects={"user": Subject.USER}, fields={
    **SIGN_IN.on("user", "name", "created_at", "last_used_at", "transports"),
    **SIGN_IN.but(withheld=KEY).on("credential_id", "public_key", "user_handle")},
    not_personal={"rp_id": "the portal's hostname the passkey is for"})

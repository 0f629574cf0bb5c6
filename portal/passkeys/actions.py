"""Writes of passkeys: adding, removing, using one (sign-in and second step). Every write
and every refusal is audited (target `passkey:<id>` or `passkey-refused:<reason>`)."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from portal.audit.log import AuditAction, record

from .models import Passkey

REFUSED = "passkey-refused"


def user_handle_for(*, user, union) -> bytes:
    """The account's WebAuthn user id: the one its passkeys already carry, else new."""
    existing = (Passkey.objects.for_union(union).filter(user=user)
                .values_list("user_handle", flat=True).first())
    return bytes(existing) if existing is not None else secrets.token_bytes(32)


@transaction.atomic
def add_passkey(*, union, rp_id: str, name: str, verified, user_handle: bytes,
                transports: list[str], acting_user) -> Passkey:
    passkey = Passkey.objects.create(
        union=union, user=acting_user, name=name, rp_id=rp_id,
        credential_id=verified.credential_id, public_key=verified.credential_public_key,
        user_handle=user_handle, sign_count=verified.sign_count,
        transports=[str(t) for t in transports][:8])
    record(actor=acting_user, union=union, action=AuditAction.CREATE,
           target=f"passkey:{passkey.pk}", fields=["passkey"])
    return passkey


@transaction.atomic
def remove_passkey(*, passkey: Passkey, acting_user) -> None:
    record(actor=acting_user, union=passkey.union, action=AuditAction.DELETE,
           target=f"passkey:{passkey.pk}", fields=["passkey"])
    passkey.delete()


@transaction.atomic
def record_use(*, passkey: Passkey, sign_count: int, purpose: str) -> bool:
    """Stores the new counter. False (and nothing stored) when another answer with the
    same or a higher counter got there first: the two answers came from a clone."""
    updated = Passkey.objects.filter(pk=passkey.pk, sign_count=passkey.sign_count).update(
        sign_count=sign_count, last_used_at=timezone.now())
    if updated:
        record(actor=passkey.user, union=passkey.union, action=AuditAction.ACTIVATE,
               target=f"passkey:{passkey.pk}", fields=[purpose])
    return bool(updated)


def record_refusal(*, union, reason: str, user=None) -> None:
    """A refused passkey answer (reason code only)."""
    record(actor=user, union=union, action=AuditAction.LOCK, target=f"{REFUSED}:{reason}")

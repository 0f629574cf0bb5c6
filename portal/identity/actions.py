"""Writes of the identity app: the provider configuration and keys, the sign-in
methods, and a strong sign-in's activation of a pre-made profile. All audited; the
identity code is hashed at once and never stored, logged or audited in clear."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.accounts.actions import create_user
from portal.accounts.models import User, with_email
from portal.audit.log import record
from portal.audit.models import AuditAction
from portal.people.actions import activate_profile
from portal.people.models import Person, hash_identity_code

from . import keys
from .models import IdentityProvider, SignInPolicy

REFUSED = "identity:refused"


@transaction.atomic
def save_provider(*, union, values: dict[str, Any], acting_user) -> IdentityProvider:
    provider = IdentityProvider.objects.filter(union=union).first() or IdentityProvider(
        union=union)
    changed = [name for name, value in values.items() if getattr(provider, name) != value]
    for name, value in values.items():
        setattr(provider, name, value)
    provider.save()
    record(actor=acting_user, union=union, action=AuditAction.EDIT,
           target="identity:provider", fields=changed)
    return provider


@transaction.atomic
def set_keys(*, provider: IdentityProvider, signing, encryption, acting_user) -> None:
    """New private keys (generated or pasted). The audit names their fingerprints,
    never the keys."""
    provider.signing_key = keys.seal(signing)
    provider.encryption_key = keys.seal(encryption)
    provider.keys_changed_at = timezone.now()
    provider.save(update_fields=["signing_key", "encryption_key", "keys_changed_at",
                                 "updated_at"])
    record(actor=acting_user, union=provider.union, action=AuditAction.GRANT,
           target=f"identity:keys {signing.kid[:12]} {encryption.kid[:12]}",
           fields=["signing_key", "encryption_key"])


@transaction.atomic
def save_policy(*, union, values: dict[str, Any], acting_user) -> SignInPolicy:
    policy = SignInPolicy.objects.filter(union=union).first() or SignInPolicy(union=union)
    changed = [name for name, value in values.items() if getattr(policy, name, None) != value]
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    record(actor=acting_user, union=union, action=AuditAction.EDIT,
           target="identity:sign-in-methods", fields=changed)
    return policy


def record_refusal(*, union, reason: str, user=None) -> None:
    """A refused strong sign-in (the reason code only: no claim values)."""
    record(actor=user, union=union, action=AuditAction.LOCK, target=f"{REFUSED}:{reason}")


def profile_for(*, union, identity_code: str) -> Person | None:
    """The union's pre-made profile of this identity, by keyed hash, in this union only."""
    digest = hash_identity_code(identity_code)
    return (Person.objects.for_union(union).filter(identity_code_hash=digest)
            .select_related("user").order_by("pk").first())


@transaction.atomic
def sign_in_identity(*, union, person: Person, given_name: str,
                     family_name: str) -> tuple[User, bool]:
    """The account of this person's profile: the linked one, or a new account of the
    union linked to it (activation, U-2.6/2.7). Returns (user, activated now)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id:
        return person.user, False
    user = create_user(email=_free_email(union, person), union=union,
                       first_name=given_name or person.first_name,
                       last_name=family_name or person.last_name, acting_user=None)
    activate_profile(person=person, user=user, acting_user=user)
    return user, True


def _free_email(union, person: Person) -> str:
    """The profile's address when no account of the union has it; otherwise a
    placeholder that cannot receive mail (RFC 2606 `.invalid`), as the account needs one."""
    email = (person.email or "").strip()
    if email and not with_email(User.objects.filter(union=union), email).exists():
        return email
    return f"person-{person.pk}@{union.slug}.invalid"

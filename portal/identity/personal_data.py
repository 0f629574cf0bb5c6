"""Strong identification, declared to the registry (docs/privacy.md): it stores no
personal data of its own (the identity code becomes people.Person.identity_code_hash)."""

from portal.privacy.registry import declare_not_personal

from .models import IdentityProvider

declare_not_personal(IdentityProvider, "the provider's settings: claim names, not values")

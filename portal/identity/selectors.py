from __future__ import annotations

from .models import IdentityProvider


def provider_for(union) -> IdentityProvider | None:
    """The provider a union's strong sign-in uses: its own when configured and in use,
    else the platform's shared broker (the row without a union), else none."""
    if union is None:
        return None
    own = IdentityProvider.objects.filter(union=union).first()
    if own is not None and own.is_enabled and own.client_id and own.has_keys:
        return own
    broker = IdentityProvider.objects.filter(union__isnull=True, is_enabled=True).first()
    return broker if broker and broker.client_id and broker.has_keys else None


def union_contact(union) -> dict:
    """Whom a person not found in the register contacts: the union's member service."""
    settings = getattr(union, "settings", None)
    email = phone = ""
    if settings is not None:
        email = settings.member_service_email or settings.contact_email
        phone = settings.contact_phone
    if not (email or phone):  # the union's front page's own contact details
        page = union.root_page
        email, phone = page.email, page.phone
    return {"name": union.name, "email": email, "phone": phone}

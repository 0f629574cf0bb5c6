"""Reads of passkeys and who may add one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.accounts.sessions import auth_of
from portal.people.selectors import own_person

from .ceremonies import rp_id
from .models import Passkey

STRONG_METHODS = ("oidc", "passkey")


def passkeys_of(request):
    """The signed-in account's passkeys on this union's host."""
    return Passkey.objects.for_union(request.union).filter(
        user=request.user, rp_id=rp_id(request) or "")


def registration_refusal(request) -> str | None:
    """Why this account may not add a passkey here, or None. Only accounts that have
    already identified strongly: signed in now with strong identification (or a
    passkey), or whose profile was activated (identity's first strong sign-in sets
    `Person.activated_at`)."""
    union = getattr(request, "union", None)
    if union is None or request.user.union_id != union.pk:
        return _("Passkeys are available on your union's own site.")
    if rp_id(request) is None:
        return _("Passkeys work only at the union's web address (a domain name), not at "
                 "a numeric address.")
    method, _level = auth_of(request)
    if method in STRONG_METHODS:
        return None
    person = own_person(request)
    if person is not None and person.activated_at is not None:
        return None
    return _("A passkey can be added only after you have identified yourself strongly. "
             "Sign out, sign in with strong identification (online bank codes or mobile "
             "certificate) and come back here.")

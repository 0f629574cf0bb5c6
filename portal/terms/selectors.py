"""Reads of the terms of use: the union's current version (cached, the gate asks on
every request), whether an account accepted it, the admin's list with counts and the
person page's section."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse

from portal.access.roles import is_staff

from .models import TermsAcceptance, TermsVersion

SESSION_KEY = "terms_accepted"
_NONE = 0  # cached "this union has no published terms"


def _cache_key(union_id: int) -> str:
    return f"terms:current:{union_id}"


def forget_current(union_id: int) -> None:
    """Drop the cached current version (after a publish). Other processes notice
    within PAGE_SECTION_CACHE_SECONDS, like the page sections."""
    cache.delete(_cache_key(union_id))


def current_version(union) -> TermsVersion | None:
    """The union's published version with the highest number, or None; from the
    process's cache, so the gate costs no query on most requests."""
    if union is None:
        return None
    key = _cache_key(union.pk)
    found = cache.get(key)
    if found is None:
        found = (TermsVersion.objects.for_union(union).filter(published_at__isnull=False)
                 .order_by("-number").first()) or _NONE
        cache.set(key, found, timeout=settings.PAGE_SECTION_CACHE_SECONDS)
    return found or None


def remember_acceptance(session, *, user, acceptance: TermsAcceptance) -> None:
    session[SESSION_KEY] = {"user": user.pk, "version": acceptance.version_id,
                            "number": acceptance.version.number,
                            "at": acceptance.accepted_at.isoformat()}


def accepted_current(request, version: TermsVersion) -> bool:
    """Whether the signed-in user accepted `version`: from the session when it says so
    (no query), else from the database (then remembered in the session)."""
    user = request.user
    seen = request.session.get(SESSION_KEY) or {}
    if seen.get("user") == user.pk and seen.get("version") == version.pk:
        return True
    acceptance = (TermsAcceptance.objects.for_union(version.union_id)
                  .filter(version=version, user=user).select_related("version").first())
    if acceptance is None:
        return False
    remember_acceptance(request.session, user=user, acceptance=acceptance)
    return True


def versions_of(union) -> list[TermsVersion]:
    """The union's versions, newest first, each with `accepted` (how many accounts)."""
    return list(TermsVersion.objects.for_union(union).annotate(accepted=Count("acceptances"))
                .select_related("published_by", "created_by"))


def version_of(union, pk: int) -> TermsVersion:
    return TermsVersion.objects.for_union(union).get(pk=pk)


def acceptances_of(user) -> list[TermsAcceptance]:
    if user is None:
        return []
    return list(TermsAcceptance.objects.for_union(user.union_id).filter(user=user)
                .select_related("version").order_by("-version__number"))


def person_section(*, request, person) -> dict | None:
    """The terms section of the people admin's person page: staff and admins of the
    person's union only (None for anyone else, and when the union has no terms)."""
    union = getattr(request, "union", None)
    if union is None or person.union_id != union.pk or not is_staff(request.user, union):
        return None
    current = current_version(union)
    if current is None:
        return None
    user = person.user if person.user_id else None
    acceptances = acceptances_of(user) if user is not None and user.union_id == union.pk else []
    return {
        "current": current,
        "has_account": user is not None,
        "acceptances": acceptances,
        "accepted_current": any(a.version_id == current.pk for a in acceptances),
        "terms_admin_url": reverse("terms_admin:versions"),
    }

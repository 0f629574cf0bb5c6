"""Counts for the union admin's dashboard (no personal data: numbers only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from portal.accounts.models import Block
from portal.people.models import ACTIVE_MEMBER_STATUSES, Person

ACTIVE_WITHIN = dt.timedelta(days=90)


@dataclass(frozen=True)
class ProfileCounts:
    people: int
    members: int
    activated: int
    active: int
    blocked: int


def profile_counts(union) -> ProfileCounts:
    """An active profile is activated (has an account), its account is active, and it
    signed in within the last 90 days. One aggregate query over the union's people."""
    since = timezone.now() - ACTIVE_WITHIN
    totals = Person.objects.for_union(union).aggregate(
        people=Count("pk"),
        members=Count("pk", filter=Q(membership_status__in=ACTIVE_MEMBER_STATUSES)),
        activated=Count("pk", filter=Q(user__isnull=False)),
        active=Count("pk", filter=Q(user__is_active=True, user__last_login__gte=since)),
    )
    blocked = Block.objects.for_union(union).in_force().values("user_id").distinct().count()
    return ProfileCounts(blocked=blocked, **totals)

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


@dataclass(frozen=True)
class AccountRoles:
    roles: list[str]  # labels of the account's roles in the union, lowest rank first
    positions: list[str]  # "Shop steward, Workplace X" for each current position

    @property
    def roles_text(self) -> str:
        # "Member, elected official": one phrase, not a row of capitalised labels.
        text = ", ".join(label.lower() for label in self.roles)
        return text[:1].upper() + text[1:]


def roles_of_accounts(union, user_ids) -> dict[int, AccountRoles]:
    """The roles and current positions of trust of these accounts in `union`: two
    queries for any number of accounts (the user list shows a page of them)."""
    from django.contrib.auth import get_user_model

    from portal.people.models import PositionKind, PositionOfTrust
    from portal.union.models import Role

    user_ids = list(user_ids)
    ranks = {role.value: i for i, role in enumerate(Role)}
    roles: dict[int, set[str]] = {}
    memberships = get_user_model().groups.through.objects.filter(
        user_id__in=user_ids, group__union_role__union=union
    ).values_list("user_id", "group__union_role__role")
    for user_id, role in memberships:
        roles.setdefault(user_id, set()).add(role)
    positions: dict[int, list[str]] = {}
    held = (
        PositionOfTrust.objects.for_union(union).current()
        .filter(person__user_id__in=user_ids)
        .order_by("kind", "scope_page__title")
        .values_list("person__user_id", "kind", "scope_page__title")
    )
    for user_id, kind, scope in held:
        positions.setdefault(user_id, []).append(f"{PositionKind(kind).label}, {scope}")
    return {
        pk: AccountRoles(
            roles=[str(Role(r).label) for r in sorted(roles.get(pk, ()), key=ranks.get)],
            positions=positions.get(pk, []),
        )
        for pk in user_ids
    }

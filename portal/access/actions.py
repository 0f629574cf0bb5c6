"""Grant and revoke the page permissions that positions of trust carry."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from portal.audit.log import AuditAction, record
from portal.union.models import Role

from .grants import PAGE_PERMISSIONS_BY_POSITION, lent_grants
from .models import PageUserObjectPermission
from .roles import forget_roles


def _page_permissions() -> dict[str, Permission]:
    return {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", content_type__model="page"
        )
    }


@transaction.atomic
def sync_grants_for_person(person, *, acting_user=None, today: dt.date | None = None) -> None:
    """Make the person's user's grants exactly what their unexpired positions give, and
    the rights other apps lend them (grants.LENT_GRANT_SOURCES).

    Idempotent. Called whenever a position starts, changes or ends, when a profile is
    activated, and daily for terms that ended. Two positions granting the same right
    on the same page merge into one grant spanning both terms.
    """
    from portal.accounts.actions import add_role, remove_role
    from portal.people.models import PositionOfTrust

    user = person.user
    if user is None:
        return
    today = today or timezone.localdate()
    permissions = _page_permissions()
    positions = (
        PositionOfTrust.objects.for_union(person.union)
        .filter(person=person)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )
    wanted: dict[tuple[int, int], dict] = {}
    for position in positions:
        for codename in PAGE_PERMISSIONS_BY_POSITION[position.kind]:
            key = (position.scope_page_id, permissions[codename].pk)
            grant = wanted.get(key)
            if grant is None:
                wanted[key] = {
                    "position": position,
                    "valid_from": position.starts_on,
                    "valid_until": position.ends_on,
                }
                continue
            grant["valid_from"] = min(grant["valid_from"], position.starts_on)
            if grant["valid_until"] is not None:
                grant["valid_until"] = (
                    None
                    if position.ends_on is None
                    else max(grant["valid_until"], position.ends_on)
                )
            if position.is_current(today):
                grant["position"] = position

    for page_id, codenames, valid_from, valid_until in lent_grants(person, today):
        for codename in codenames:
            key = (page_id, permissions[codename].pk)
            grant = wanted.setdefault(key, {"position": None, "valid_from": valid_from,
                                            "valid_until": valid_until})
            grant["valid_from"] = min(grant["valid_from"], valid_from)
            if grant["valid_until"] is not None:
                grant["valid_until"] = (None if valid_until is None
                                        else max(grant["valid_until"], valid_until))

    existing = {
        (g.content_object_id, g.permission_id): g
        for g in PageUserObjectPermission.objects.filter(user=user)
    }
    for key in existing.keys() - wanted.keys():
        grant = existing[key]
        grant.delete()
        record(
            actor=acting_user,
            union=person.union,
            action=AuditAction.REVOKE,
            person=person,
            target=f"page:{key[0]}",
            fields=[grant.permission.codename],
        )
    for key, values in wanted.items():
        grant = existing.get(key)
        if grant is None:
            PageUserObjectPermission.objects.create(
                user=user, content_object_id=key[0], permission_id=key[1], **values
            )
            record(
                actor=acting_user,
                union=person.union,
                action=AuditAction.GRANT,
                person=person,
                target=f"page:{key[0]}",
                fields=[p.codename for p in permissions.values() if p.pk == key[1]],
            )
        elif any(getattr(grant, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(grant, k, v)
            grant.save()

    # The rights kept on this user object (Wagtail's page permissions, mapping's) were
    # read from the grants just changed.
    forget_roles(user)
    holds_current_position = any(p.is_current(today) for p in positions)
    if holds_current_position:
        add_role(user=user, role=Role.OFFICIAL, acting_user=acting_user)
    else:
        remove_role(user=user, role=Role.OFFICIAL, acting_user=acting_user)


def expire_ended_terms(*, today: dt.date | None = None, acting_user=None) -> int:
    """The daily re-sync of positions whose term ended or started since the last run:
    remove grants whose term has ended, and give the elected-official role (admin access,
    the front end's people lists) to holders of grants whose term has begun. Returns how
    many people were re-synced."""
    from portal.people.models import Person

    today = today or timezone.localdate()
    official = Group.objects.filter(user=OuterRef("user_id"), union_role__role=Role.OFFICIAL)
    user_ids = (
        PageUserObjectPermission.objects.filter(
            Q(valid_until__lt=today) | (Q(valid_from__lte=today) & ~Exists(official))
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    people = Person.objects.filter(user_id__in=user_ids).select_related("union", "user")
    count = 0
    for person in people:
        sync_grants_for_person(person, acting_user=acting_user, today=today)
        count += 1
    return count

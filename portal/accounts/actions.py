"""Writes on user accounts."""

from __future__ import annotations

from django.db import transaction

from portal.access.roles import forget_roles
from portal.audit.log import AuditAction, record
from portal.union.models import Union

from .models import User


@transaction.atomic
def create_user(
    *,
    email: str,
    union: Union | None,
    roles: tuple[str, ...] = (),
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    acting_user=None,
) -> User:
    user = User.objects.create_user(
        email=email, password=password, union=union, first_name=first_name, last_name=last_name
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if roles:
        set_roles(user=user, roles=roles, acting_user=acting_user)
    record(actor=acting_user, union=union, action=AuditAction.CREATE, target=f"user:{user.pk}")
    return user


@transaction.atomic
def set_roles(*, user: User, roles: tuple[str, ...] | set[str], acting_user=None) -> None:
    """Put the user in exactly these role groups of their union (others are left as they are)."""
    union = user.union
    if union is None:
        raise ValueError("A user without a union holds no union roles.")
    role_groups = {rg.role: rg.group for rg in union.role_groups.select_related("group")}
    unknown = set(roles) - set(role_groups)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    current = set(user.groups.filter(union_role__union=union))
    wanted = {role_groups[r] for r in roles}
    if wanted - current:
        user.groups.add(*(wanted - current))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    forget_roles(user)
    if wanted != current:
        record(
            actor=acting_user,
            union=union,
            action=AuditAction.GRANT,
            target=f"user:{user.pk}",
            fields=sorted(roles),
        )


def add_role(*, user: User, role: str, acting_user=None) -> None:
    current = set(user.groups.filter(union_role__union=user.union).values_list(
        "union_role__role", flat=True))
    if role not in current:
        set_roles(user=user, roles=(*current, role), acting_user=acting_user)


def remove_role(*, user: User, role: str, acting_user=None) -> None:
    current = set(user.groups.filter(union_role__union=user.union).values_list(
        "union_role__role", flat=True))
    if role in current:
        set_roles(user=user, roles=tuple(current - {role}), acting_user=acting_user)

"""Which sign-in methods an account may use in its union (SignInPolicy), by the highest
of its roles: staff and admins, then elected officials, then members."""

from __future__ import annotations

from portal.access.roles import roles_for
from portal.union.models import Role

from .models import LEVEL_RANK, Method, SignInPolicy

ALL_METHODS = [Method.PASSWORD, Method.OIDC]


def policy_of(union) -> SignInPolicy | None:
    if union is None:
        return None
    return SignInPolicy.objects.filter(union=union).first()


def category(user, union) -> str:
    roles = roles_for(user, union)
    if {Role.STAFF, Role.ADMIN} & roles:
        return "staff"
    if Role.OFFICIAL in roles:
        return "official"
    return "member"


def allowed_methods(user, union, policy=None) -> list[str]:
    policy = policy or policy_of(union)
    if policy is None:
        return list(ALL_METHODS)
    return list(getattr(policy, f"{category(user, union)}_methods") or [])


def method_allowed(user, union, method: str) -> bool:
    if union is None:  # platform operators: password only, as before
        return method == Method.PASSWORD
    return method in allowed_methods(user, union)


def level_enough(user, union, level: str) -> bool:
    """Whether a strong sign-in at `level` is enough for this account: officials (and
    staff, who can do more) need the union's `officials_level` when it sets one."""
    policy = policy_of(union)
    if policy is None or not policy.officials_level or category(user, union) == "member":
        return True
    return LEVEL_RANK.get(level, 0) >= LEVEL_RANK[policy.officials_level]

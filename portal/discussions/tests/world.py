"""Two unions with every role that writes messages, built once per test module."""

from __future__ import annotations

from portal.accounts.actions import create_user
from portal.people.models import PositionKind
from portal.union.models import Role
from tests.factories import (
    PASSWORD,
    appoint,
    make_branch,
    make_employer,
    make_person,
    make_union,
    make_workplace,
)


def union_world(slug: str) -> dict:
    union = make_union(slug, name=f"{slug} union")
    branch = make_branch(union, title=f"{slug} branch")
    other_branch = make_branch(union, title=f"{slug} other branch")
    employer = make_employer(union, title=f"{slug} employer")
    workplace = make_workplace(employer, title=f"{slug} workplace")
    other_workplace = make_workplace(employer, title=f"{slug} other workplace")
    steward = make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,),
                          first_name=f"{slug}steward", phone="+358 40 123 4567")
    appoint(steward, PositionKind.SHOP_STEWARD, workplace)
    member = make_person(union, branch=branch, workplace=workplace, roles=(Role.MEMBER,),
                         first_name=f"{slug}member", phone="040 765 4321")
    other = make_person(union, branch=other_branch, workplace=other_workplace,
                        roles=(Role.MEMBER,), first_name=f"{slug}other")
    staff = create_user(email=f"staff@{slug}.example", union=union, roles=(Role.STAFF,),
                        password=PASSWORD, first_name=f"{slug}staff", last_name="Office")
    admin = create_user(email=f"admin@{slug}.example", union=union, roles=(Role.ADMIN,),
                        password=PASSWORD, first_name=f"{slug}admin", last_name="Office")
    return {
        "union": union, "workplace": workplace, "host": union.site.hostname,
        "users": {"steward": steward.user, "member": member.user, "other": other.user,
                  "staff": staff, "admin": admin},
        "people": {"steward": steward, "member": member, "other": other},
    }

"""The imports tests' world: two unions, one with a numbered branch, and their people."""

from __future__ import annotations

from portal.union.models import Role
from tests.factories import make_branch, make_person, make_union
from tests.shared import module_world


def _build_world():
    a, b = make_union("ima"), make_union("imb")
    for union in (a, b):  # the pages' words are checked in English
        union.default_language = "en"
        union.save()
    branch = make_branch(a, title="Helsinki")
    branch.number = "101"
    branch.save()
    return {
        "a": a, "b": b, "branch": branch,
        "staff": make_person(a, roles=(Role.STAFF,)).user,
        "admin": make_person(a, roles=(Role.ADMIN,)).user,
        "member": make_person(a, roles=(Role.MEMBER,)).user,
        "staff_b": make_person(b, roles=(Role.STAFF,)).user,
    }


world_rows, world = module_world(_build_world)

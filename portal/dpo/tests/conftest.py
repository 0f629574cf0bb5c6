"""Two unions with an admin, a designated DPO, staff, an official and a member each, and
audit entries, built once per module (tests' own changes roll back with their transaction)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from portal.audit.log import AuditAction, record
from portal.dpo import actions
from portal.union.models import Role
from tests.factories import make_branch, make_person, make_union
from tests.shared import rolled_back


def _union(slug: str) -> dict:
    union = make_union(slug)
    branch = make_branch(union)
    side = {
        "union": union, "host": union.site.hostname,
        "admin": make_person(union, roles=(Role.ADMIN,), first_name="Admin"),
        "dpo": make_person(union, roles=(Role.STAFF,), first_name="Tietosuoja"),
        "staff": make_person(union, roles=(Role.STAFF,), first_name="Staffer"),
        "official": make_person(union, roles=(Role.OFFICIAL,), first_name="Luottamus"),
        "member": make_person(union, branch=branch, roles=(Role.MEMBER,), first_name="Plain"),
        "evil": make_person(union, user=False, first_name="=HYPERLINK(1)", last_name="X"),
    }
    side["officer"] = actions.designate(union=union, user=side["dpo"].user,
                                        acting_user=side["admin"].user)
    for who, action in (("staff", AuditAction.VIEW), ("official", AuditAction.VIEW),
                        ("staff", AuditAction.EXPORT)):
        record(actor=side[who].user, union=union, action=action, person=side["member"],
               target="people:profile")
    record(actor=side["staff"].user, union=union, action=AuditAction.EDIT,
           person=side["evil"], target="=cmd|' /C calc'!A0")
    return side


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        yield {"a": _union("dpoa"), "b": _union("dpob")}


@pytest.fixture
def dw(world, db):
    with translation.override("en"):
        yield world


def client_of(side: dict, role: str, host: str | None = None) -> Client:
    client = Client(HTTP_HOST=host or side["host"])
    client.force_login(side[role].user)
    return client

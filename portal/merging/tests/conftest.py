"""One world of two unions for the merging tests, built once per module (each test's
own changes roll back with its transaction)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from portal.union.models import Role
from tests.factories import (
    make_branch,
    make_bulletin,
    make_employer,
    make_person,
    make_union,
    make_workplace,
    mark_sent,
)
from tests.shared import rolled_back


def _union(slug: str) -> dict:
    union = make_union(slug)
    branch = make_branch(union)
    employer = make_employer(union)
    return {
        "union": union, "host": union.site.hostname, "branch": branch,
        "employer": employer, "workplace": make_workplace(employer),
        "send": mark_sent(make_bulletin(branch)),
        "staff": make_person(union, roles=(Role.STAFF,), first_name="Staffer"),
        "member": make_person(union, branch=branch, roles=(Role.MEMBER,), first_name="Plain"),
        "other": make_person(union, user=False, first_name="Outsider", last_name="Muu",
                             birth_date=dt.date(1970, 1, 1)),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back():
        yield {"a": _union("mga"), "b": _union("mgb")}


@pytest.fixture
def mg(world, db):
    with translation.override("en"):  # the refusals are matched by their English text
        yield world


def client_of(side: dict, role: str = "staff") -> Client:
    client = Client(HTTP_HOST=side["host"])
    client.force_login(side[role].user)
    return client

"""What the API returns of each kind: the register's record format
(`portal.register.records.KINDS`), read through `for_union()`.

A record comes back with the fields it is written with, except `identity_code`, which
the portal keeps only as a keyed hash and never gives out. Rows the register cannot
address (no external key, e.g. a person added in the portal without a member number)
are not listed: the change feed reports them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import QuerySet

from portal.branches.models import BranchPage
from portal.people.models import Employment, Person, PositionOfTrust, ScopeKind, Training
from portal.register.records import KINDS
from portal.workplaces.models import EmployerPage, WorkplacePage

PERSON_FIELDS = [f.name for f in KINDS["people"].fields if f.name != "identity_code"]


def base_queryset(union, kind: str) -> QuerySet:
    """The kind's addressable rows of the union, in a stable order (by id)."""
    if kind == "people":
        qs = Person.objects.for_union(union).exclude(member_number="").select_related("branch")
    elif kind == "employers":
        qs = EmployerPage.objects.for_union(union).exclude(business_id="")
    elif kind == "workplaces":
        qs = (WorkplacePage.objects.for_union(union).exclude(register_id="")
              .select_related("employer"))
    elif kind == "employments":
        qs = (Employment.objects.for_union(union).exclude(person__member_number="")
              .filter(starts_on__isnull=False)
              .select_related("person", "employer", "workplace"))
    elif kind == "positions":
        qs = (PositionOfTrust.objects.for_union(union).exclude(person__member_number="")
              .select_related("person"))
    elif kind == "trainings":
        qs = (Training.objects.for_union(union).exclude(person__member_number="")
              .filter(completed_on__isnull=False).select_related("person"))
    else:
        raise ValueError(kind)
    return qs.order_by("pk")


# Query-string filters by key field: the ORM lookup each one is.
KEY_LOOKUPS: dict[str, dict[str, str]] = {
    "people": {"member_number": "member_number"},
    "employers": {"business_id": "business_id"},
    "workplaces": {"register_id": "register_id"},
    "employments": {"member_number": "person__member_number",
                    "employer": "employer__business_id", "starts_on": "starts_on"},
    "positions": {"member_number": "person__member_number", "kind": "kind",
                  "scope_kind": "scope_kind", "starts_on": "starts_on"},
    "trainings": {"member_number": "person__member_number", "name": "name",
                  "completed_on": "completed_on"},
}


def records(union, kind: str, rows: Sequence) -> list[dict[str, Any]]:
    if kind == "positions":
        return _positions(union, rows)
    return _SERIALIZERS[kind](rows)


def _people(rows: Iterable[Person]) -> list[dict[str, Any]]:
    result = []
    for person in rows:
        item = {name: getattr(person, name) for name in PERSON_FIELDS if name != "branch"}
        item["branch"] = (person.branch.number or None) if person.branch_id else None
        result.append(item)
    return result


def _employers(rows: Iterable[EmployerPage]) -> list[dict[str, Any]]:
    return [{"business_id": e.business_id, "name": e.title, "industry": e.industry,
             "street_address": e.street_address, "postal_code": e.postal_code,
             "city": e.city} for e in rows]


def _workplaces(rows: Iterable[WorkplacePage]) -> list[dict[str, Any]]:
    return [{"register_id": w.register_id,
             "employer": w.employer.business_id if w.employer_id else None,
             "name": w.title, "street_address": w.street_address,
             "postal_code": w.postal_code, "city": w.city,
             "employee_count": w.employee_count} for w in rows]


def _employments(rows: Iterable[Employment]) -> list[dict[str, Any]]:
    return [{"member_number": e.person.member_number, "employer": e.employer.business_id,
             "starts_on": e.starts_on,
             "workplace": (e.workplace.register_id or None) if e.workplace_id else None,
             "title": e.title, "ends_on": e.ends_on} for e in rows]


def _positions(union, rows: Sequence[PositionOfTrust]) -> list[dict[str, Any]]:
    # The scope page's external key, looked up per kind of scope in one query each.
    ids = {kind: [p.scope_page_id for p in rows if p.scope_kind == kind]
           for kind in (ScopeKind.BRANCH, ScopeKind.EMPLOYER, ScopeKind.WORKPLACE)}
    keys: dict[int, str] = {}
    for model, kind, field in ((BranchPage, ScopeKind.BRANCH, "number"),
                               (EmployerPage, ScopeKind.EMPLOYER, "business_id"),
                               (WorkplacePage, ScopeKind.WORKPLACE, "register_id")):
        if ids[kind]:
            keys.update(model.objects.for_union(union).filter(pk__in=ids[kind])
                        .values_list("pk", field))
    return [{"member_number": p.person.member_number, "kind": p.kind,
             "scope_kind": p.scope_kind,
             "scope": None if p.scope_kind == ScopeKind.UNION
             else (keys.get(p.scope_page_id) or None),
             "starts_on": p.starts_on, "ends_on": p.ends_on} for p in rows]


def _trainings(rows: Iterable[Training]) -> list[dict[str, Any]]:
    return [{"member_number": t.person.member_number, "name": t.name,
             "completed_on": t.completed_on, "provider": t.provider} for t in rows]


_SERIALIZERS = {"people": _people, "employers": _employers, "workplaces": _workplaces,
                "employments": _employments,
                "trainings": _trainings}

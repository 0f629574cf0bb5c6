"""Who may see which person: a SQL filter, never per-person grants.

- staff and admins see every person of their union;
- an official sees the people in the scope of their current positions (members of
  their branch, current employees of their workplace or employer);
- every member sees the union's current officials (names and contacts) and themself;
- nobody sees another union's people, and anonymous visitors see nobody.
"""

from __future__ import annotations

import enum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.access.grants import SCOPE_SEEING_POSITIONS
from portal.access.roles import is_staff, roles_for
from portal.union.compiled import run_compiled

from .models import Employment, Person, PositionOfTrust, ScopeKind


class Visibility(enum.IntEnum):
    NONE = 0
    OFFICIAL_CONTACT = 1  # name, position, work contact of an official
    SCOPE = 2  # an official looking at a person in their scope
    OWN = 3
    FULL = 4  # staff and admins


# Fields each visibility level may show. Views render only these; the audit log
# records them as the fields that were shown.
VISIBLE_FIELDS: dict[Visibility, tuple[str, ...]] = {
    Visibility.NONE: (),
    Visibility.OFFICIAL_CONTACT: ("name", "email", "phone", "positions"),
    Visibility.SCOPE: (
        "name", "email", "phone", "membership_status", "branch", "employments", "positions",
    ),
    Visibility.OWN: (
        "name", "alternative_name", "email", "phone", "address", "preferred_language",
        "member_number", "membership_status", "branch", "joined_on", "employments",
        "positions", "trainings",
    ),
    Visibility.FULL: (
        "name", "alternative_name", "email", "phone", "address", "preferred_language",
        "member_number", "membership_status", "branch", "joined_on", "employments",
        "positions", "trainings",
    ),
}


_SCOPE_SEEING = sorted(SCOPE_SEEING_POSITIONS)  # one order: the compiled SQL's parameters


def _scope_page_ids(user, union) -> dict[str, list[int]]:
    today = timezone.localdate()
    # Asked on every search and autocomplete: run from SQL compiled once
    # (union/compiled.py; the parameters in the order Django puts them).
    rows = run_compiled(
        PositionOfTrust,
        lambda: (PositionOfTrust.objects.for_union(union).current(today)
                 .filter(person__user=user, kind__in=_SCOPE_SEEING)
                 .values_list("scope_kind", "scope_page_id")),
        ("scope-page-ids", len(_SCOPE_SEEING)),
        [union.pk, today, today, *_SCOPE_SEEING, user.pk])
    scopes: dict[str, list[int]] = {}
    for scope_kind, page_id in rows:
        scopes.setdefault(scope_kind, []).append(page_id)
    return scopes


def scope_pages(user, union, kind: str) -> QuerySet:
    """The ids of the viewer's scope pages of one kind (branch, workplace, employer), as a
    subquery: what `_scope_page_ids` reads, for a query that starts from one scope's
    index instead of filtering every person (`discussions.picker`)."""
    return (PositionOfTrust.objects.for_union(union).current()
            .filter(person__user=user, kind__in=_SCOPE_SEEING, scope_kind=kind)
            .values("scope_page_id"))


def _in_scope_q(scopes: dict[str, list[int]]) -> Q:
    q = Q(pk__in=[])
    current_jobs = Employment.objects.current().filter(person=OuterRef("pk"))
    if ScopeKind.WORKPLACE in scopes:
        q |= Q(Exists(current_jobs.filter(workplace_id__in=scopes[ScopeKind.WORKPLACE])))
    if ScopeKind.EMPLOYER in scopes:
        q |= Q(Exists(current_jobs.filter(employer_id__in=scopes[ScopeKind.EMPLOYER])))
    if ScopeKind.BRANCH in scopes:
        q |= Q(branch_id__in=scopes[ScopeKind.BRANCH])
    return q


def people_visible_to(user, union) -> QuerySet[Person]:
    people = Person.objects.for_union(union)
    if union is None or not roles_for(user, union):
        return people.none()
    if is_staff(user, union):
        return people
    officials = PositionOfTrust.objects.for_union(union).current().filter(person=OuterRef("pk"))
    q = Q(user=user) | Q(Exists(officials))
    scopes = _scope_page_ids(user, union)
    if scopes:
        q |= _in_scope_q(scopes)
    return people.filter(q)


def visibility_of(user, union, person: Person) -> Visibility:
    if union is None or person.union_id != union.pk or not roles_for(user, union):
        return Visibility.NONE
    if is_staff(user, union):
        return Visibility.FULL
    if person.user_id is not None and person.user_id == user.pk:
        return Visibility.OWN
    scopes = _scope_page_ids(user, union)
    if scopes and Person.objects.filter(pk=person.pk).filter(_in_scope_q(scopes)).exists():
        return Visibility.SCOPE
    if PositionOfTrust.objects.for_union(union).current().filter(person=person).exists():
        return Visibility.OFFICIAL_CONTACT
    return Visibility.NONE

"""The mapping page's lists: the workplace's people and potential members, filtered,
each with their unit, shift and current assessment as columns of ONE query (so a page
of a 2,000-person workplace costs what a page of twenty does)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import BooleanField, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery
from wagtail import hooks

from portal.people.models import ACTIVE_MEMBER_STATUSES

from .actions import employees
from .models import Assessment, Placement, PotentialMember, Unit, UnitKind

LEVELS = ("1", "2", "3", "4", "5", "none")
STATUSES = ("member", "non_member", "potential")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    unit: int | None = None
    shift: int | None = None
    level: str = ""
    status: str = ""
    contacted: str = ""  # "yes" / "no" / ""

    @classmethod
    def from_query(cls, data) -> Filters:
        def number(name):
            value = data.get(name, "")
            return int(value) if value.isdigit() and len(value) < 12 else None

        level, status, contacted = data.get("level", ""), data.get("status", ""), \
            data.get("contacted", "")
        return cls(q=data.get("q", "").strip()[:100], unit=number("unit"),
                   shift=number("shift"), level=level if level in LEVELS else "",
                   status=status if status in STATUSES else "",
                   contacted=contacted if contacted in ("yes", "no") else "")

    @property
    def active(self) -> bool:
        return any((self.q, self.unit, self.shift, self.level, self.status, self.contacted))


def contacted(workplace) -> dict | None:
    """Who of the workplace has been contacted, from the apps that log contacts (the
    campaigns' contact log registers the `mapping_contacted` hook: a function of the
    workplace returning {"people": <person ids>, "potential": <potential member ids>}
    as querysets). None when no app does: the filter is not offered."""
    found = None
    for hook in hooks.get_hooks("mapping_contacted"):
        answer = hook(workplace)
        if answer is None:
            continue
        found = found or {"people": [], "potential": []}
        found["people"].append(answer.get("people"))
        found["potential"].append(answer.get("potential"))
    return found


def _contacted_q(found: dict, subject: str) -> Q:
    q = Q(pk__in=[])
    for ids in found[subject]:
        if ids is not None:
            q |= Q(pk__in=ids)
    return q


def _with_contacted(queryset, workplace, subject: str):
    """Each row's `contacted` (shown as a mark in the lists), when an app logs contacts:
    a column of the same query."""
    found = contacted(workplace)
    if found is None:
        return queryset
    return queryset.annotate(contacted=ExpressionWrapper(_contacted_q(found, subject),
                                                         output_field=BooleanField()))


def _unit_filter(workplace, unit_id, prefix: str) -> Q:
    unit = Unit.objects.filter(workplace=workplace, pk=unit_id).only("path", "kind").first()
    if unit is None:
        return Q(pk__in=[])
    return Q(**{f"{prefix}unit__path__startswith": unit.path})


def _apply(queryset, filters: Filters, workplace, *, unit_prefix, shift_field, subject):
    if filters.q:
        for word in filters.q.split()[:3]:
            queryset = queryset.filter(Q(first_name__icontains=word)
                                       | Q(last_name__icontains=word))
    if filters.unit:
        queryset = queryset.filter(_unit_filter(workplace, filters.unit, unit_prefix))
    if filters.shift:
        queryset = queryset.filter(**{shift_field: filters.shift})
    if filters.level == "none":
        queryset = queryset.filter(level__isnull=True)
    elif filters.level:
        queryset = queryset.filter(level=int(filters.level))
    if filters.contacted:
        found = contacted(workplace)
        if found is not None:
            q = _contacted_q(found, subject)
            queryset = queryset.filter(q) if filters.contacted == "yes" else queryset.exclude(q)
    return _with_contacted(queryset, workplace, subject)


def people(workplace, filters: Filters):
    """The workplace's register people with unit, shift and current assessment."""
    placement = Placement.objects.filter(workplace=workplace, person_id=OuterRef("pk"))
    latest = (Assessment.objects.filter(workplace=workplace, person_id=OuterRef("pk"))
              .order_by("-created_at", "-pk"))
    queryset = (employees(workplace)
                .annotate(unit_name=Subquery(placement.values("unit__name")[:1]),
                          unit_path=Subquery(placement.values("unit__path")[:1]),
                          shift_id=Subquery(placement.values("shift_id")[:1]),
                          shift_name=Subquery(placement.values("shift__name")[:1]),
                          level=Subquery(latest.values("level")[:1],
                                         output_field=IntegerField()),
                          level_on=Subquery(latest.values("assessed_on")[:1]))
                .only("pk", "first_name", "last_name", "phone", "email", "membership_status")
                .order_by("last_name", "first_name", "pk"))
    if filters.status == "member":
        queryset = queryset.filter(membership_status__in=ACTIVE_MEMBER_STATUSES)
    elif filters.status == "non_member":
        queryset = queryset.exclude(membership_status__in=ACTIVE_MEMBER_STATUSES)
    elif filters.status == "potential":
        return queryset.none()
    if filters.unit:
        unit = Unit.objects.filter(workplace=workplace, pk=filters.unit).only("path").first()
        queryset = queryset.filter(unit_path__startswith=unit.path) if unit else queryset.none()
    # The unit was filtered through the placement's path above.
    return _apply(queryset, replace(filters, unit=None), workplace, unit_prefix="",
                  shift_field="shift_id", subject="people")


def potential_members(workplace, filters: Filters):
    latest = Assessment.objects.filter(potential_id=OuterRef("pk")).order_by("-created_at", "-pk")
    queryset = (PotentialMember.objects.for_union(workplace.union).filter(workplace=workplace)
                .select_related("unit", "shift")
                .annotate(level=Subquery(latest.values("level")[:1], output_field=IntegerField()),
                          level_on=Subquery(latest.values("assessed_on")[:1]))
                .order_by("last_name", "first_name", "pk"))
    if filters.status in ("member", "non_member"):
        return queryset.none()
    return _apply(queryset, filters, workplace, unit_prefix="", shift_field="shift_id",
                  subject="potential")


def placed_in(unit) -> int:
    """How many people and potential members are placed in the unit or a unit under it
    (or in the shift): what removing it would unplace."""
    q = Q(unit__path__startswith=unit.path) | Q(shift__path__startswith=unit.path)
    return (Placement.objects.filter(q, workplace_id=unit.workplace_id).count()
            + PotentialMember.objects.filter(q, workplace_id=unit.workplace_id).count())


def tree_and_shifts(workplace) -> tuple[list[Unit], list[Unit]]:
    """The departments and units in tree order, and the shifts."""
    units = list(Unit.objects.for_union(workplace.union).filter(workplace=workplace)
                 .order_by("path"))
    return ([u for u in units if u.kind != UnitKind.SHIFT],
            [u for u in units if u.kind == UnitKind.SHIFT])

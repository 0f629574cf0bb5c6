"""Union density from the register (issue 19 item 3), set-based.

density = members ÷ base, where
- members: living people with a current employment in the scope (a branch: the branch's
  members) whose membership is active or on leave;
- potential: the rest of the scope's people — living non-members of the register with a
  current employment there, and the potential members the mappers added;
- base: the head count the employer reported when given (a workplace's
  `employee_count`, an employer's `EmployerFacts.head_count`; never below the members),
  else members + potential.

A branch's scope is its members, and, as its potential, the non-members and potential
members of the workplaces where its members currently work. A unit's is the people
placed in it or in a unit under it (a shift: placed on that shift) and still employed at
the workplace.

Each scope type is ONE query over its own table with correlated counts (one row per
workplace, employer, …), so `density_for` asks one query per kind of object, and the
daily snapshot (`write_snapshot`) is one INSERT … SELECT per scope type.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.branches.models import BranchPage
from portal.people.models import ACTIVE_MEMBER_STATUSES, Employment, Person
from portal.workplaces.models import EmployerPage, WorkplacePage

from .models import (
    DensitySnapshot,
    EmployerFacts,
    Placement,
    PotentialMember,
    ScopeType,
    Unit,
    UnitKind,
)


class _Count(Subquery):
    """COUNT(*) of a correlated subquery's rows (portable: PostgreSQL and SQLite)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by(), **extra)  # a model's ordering sorts for nothing


MEMBER = Q(person__membership_status__in=ACTIVE_MEMBER_STATUSES)
LIVING = Q(person__deceased_on__isnull=True)


@dataclass(frozen=True)
class Density:
    members: int
    potential: int
    head_count: int | None = None
    # Only for totals (`total`): the sum of the parts' bases.
    summed_base: int | None = None

    @property
    def base(self) -> int:
        if self.summed_base is not None:
            return self.summed_base
        if self.head_count:
            return max(self.head_count, self.members)
        return self.members + self.potential

    # The workplace page's template says "members of N employees" without mapping.
    employees = base

    def describe(self) -> str:
        """The figures in words, naming the base truthfully (it is not the employees)."""
        values = {"members": self.members, "base": self.base, "potential": self.potential}
        if self.head_count:
            return _("%(members)s members, density base %(base)s (the head count the "
                     "employer reported)") % values
        return _("%(members)s members, density base %(base)s (non-members %(potential)s: "
                 "in the register or mapped)") % values

    @property
    def density(self) -> float | None:
        return self.members / self.base if self.base else None

    @property
    def percent(self) -> int | None:
        density = self.density
        return None if density is None else round(100 * density)


def total(densities: Iterable[Density]) -> Density:
    """The density of several scopes together (a campaign's target group): the members
    over the sum of the bases."""
    members = potential = base = 0
    for density in densities:
        members += density.members
        potential += density.potential
        base += density.base
    return Density(members=members, potential=potential, summed_base=base)


@dataclass
class DensityTable:
    """`density_for`'s answer: per asked object, by id."""

    workplaces: dict[int, Density]
    employers: dict[int, Density]
    branches: dict[int, Density]
    units: dict[int, Density] = field(default_factory=dict)

    def get(self, scope_type: str, scope_id: int) -> Density | None:
        return getattr(self, f"{scope_type}s").get(scope_id)


def _current_jobs(on):
    return Employment.objects.current(on).filter(LIVING)


def _people_count(jobs):
    return Coalesce(_Count(jobs.values("person_id").distinct()), 0)


def workplace_rows(union, on=None):
    """Workplaces of the union with members, potential and head_count."""
    jobs = _current_jobs(on).filter(workplace_id=OuterRef("pk"))
    return (WorkplacePage.objects.filter(union=union).order_by()
            .annotate(n_members=_people_count(jobs.filter(MEMBER)),
                      n_others=_people_count(jobs.exclude(MEMBER)),
                      n_mapped=Coalesce(_Count(PotentialMember.objects.filter(
                          workplace_id=OuterRef("pk")).values("pk")), 0),
                      n_head_count=Case(When(employee_count__gt=0, then="employee_count"),
                                      default=Value(None), output_field=IntegerField())))


def employer_rows(union, on=None):
    jobs = _current_jobs(on).filter(employer_id=OuterRef("pk"))
    facts = EmployerFacts.objects.filter(employer_id=OuterRef("pk"), head_count__gt=0)
    return (EmployerPage.objects.filter(union=union).order_by()
            .annotate(n_members=_people_count(jobs.filter(MEMBER)),
                      n_others=_people_count(jobs.exclude(MEMBER)),
                      n_mapped=Coalesce(_Count(PotentialMember.objects.filter(
                          workplace__employer_id=OuterRef("pk")).values("pk")), 0),
                      n_head_count=Subquery(facts.values("head_count")[:1])))


def branch_rows(union, on=None):
    members = Person.objects.members().living().filter(branch_id=OuterRef("pk"))
    # The workplaces where the branch's members work now.
    workplaces = (_current_jobs(on).filter(MEMBER, person__branch_id=OuterRef(OuterRef("pk")),
                                           workplace__isnull=False).values("workplace_id"))
    return (BranchPage.objects.filter(union=union).order_by()
            .annotate(n_members=Coalesce(_Count(members.values("pk")), 0),
                      n_others=_people_count(_current_jobs(on).exclude(MEMBER)
                                           .filter(workplace_id__in=workplaces)),
                      n_mapped=Coalesce(_Count(PotentialMember.objects.filter(
                          workplace_id__in=workplaces).values("pk")), 0),
                      n_head_count=Value(None, output_field=IntegerField())))


def unit_rows(union, on=None):
    """Units and shifts: the people placed in the unit's subtree (or on the shift)."""
    # Still employed there: an index lookup per placement (by person), not a list of the
    # workplace's employees per placement (a correlated IN cannot be hashed).
    placed = Placement.objects.filter(
        LIVING, Exists(_current_jobs(on).filter(person_id=OuterRef("person_id"),
                                                workplace_id=OuterRef("workplace_id"))),
        workplace_id=OuterRef("workplace_id"))
    # The unit's workplace too, so the subtree is found among the workplace's units.
    in_tree = Q(unit__workplace_id=OuterRef("workplace_id"),
                unit__path__startswith=OuterRef("path"))
    on_shift = Q(shift_id=OuterRef("pk"))
    mapped = PotentialMember.objects.filter(workplace_id=OuterRef("workplace_id"))

    def by_kind(queryset, column="pk"):
        return Case(
            When(kind=UnitKind.SHIFT,
                 then=Coalesce(_Count(queryset.filter(on_shift).values(column)), 0)),
            default=Coalesce(_Count(queryset.filter(in_tree).values(column)), 0),
            output_field=IntegerField())

    return (Unit.objects.filter(union=union).order_by()
            .annotate(n_members=by_kind(placed.filter(MEMBER), "person_id"),
                      n_others=by_kind(placed.exclude(MEMBER), "person_id"),
                      n_mapped=by_kind(mapped),
                      n_head_count=Value(None, output_field=IntegerField())))


ROWS = {
    ScopeType.WORKPLACE: workplace_rows,
    ScopeType.EMPLOYER: employer_rows,
    ScopeType.BRANCH: branch_rows,
    ScopeType.UNIT: unit_rows,
}


def _ids(objects) -> list[int] | object:
    """Ids, pages or a queryset (kept as a subquery: 5,000 workplaces need no list)."""
    if hasattr(objects, "values_list") and hasattr(objects, "query"):
        return objects.values("pk")
    return [getattr(obj, "pk", obj) for obj in objects]


def _table(rows) -> dict[int, Density]:
    return {
        pk: Density(members=members, potential=others + mapped, head_count=head_count)
        for pk, members, others, mapped, head_count in rows.values_list(
            "pk", "n_members", "n_others", "n_mapped", "n_head_count")
    }


def density_for(*, union, workplaces=None, employers=None, branches=None,
                units=None) -> DensityTable:
    """Density of each asked workplace, employer and branch (ids, objects or a
    queryset) of `union`; one query per kind asked. Objects of another union are not
    in the answer."""
    on = timezone.localdate()
    found = {}
    for key, objects, rows in (("workplaces", workplaces, workplace_rows),
                               ("employers", employers, employer_rows),
                               ("branches", branches, branch_rows)):
        found[key] = {} if objects is None else _table(
            rows(union, on).filter(pk__in=_ids(objects)))
    table = DensityTable(**found)
    if units is not None:
        table.units = _table(unit_rows(union, on).filter(pk__in=_ids(units)))
    return table


def units_of(*, union, workplace) -> dict[int, Density]:
    """Every unit and shift of one workplace, for its mapping page: the people counted
    per (unit, shift) in one grouped query (and the potential members in another), then
    added up the tree here — over the workplace's few units, never over its people."""
    units = list(Unit.objects.filter(union=union, workplace=workplace)
                 .values_list("pk", "path", "kind"))
    still_there = Exists(_current_jobs(None).filter(person_id=OuterRef("person_id"),
                                                    workplace_id=workplace.pk))
    placed = (Placement.objects.filter(LIVING, still_there, union=union, workplace=workplace)
              .values("unit_id", "shift_id")
              .annotate(members=Count("pk", filter=MEMBER), others=Count("pk", filter=~MEMBER)))
    mapped = (PotentialMember.objects.filter(union=union, workplace=workplace).order_by()
              .values("unit_id", "shift_id").annotate(mapped=Count("pk")))
    path_of = {pk: path for pk, path, _kind in units}
    cells = [(row["unit_id"], row["shift_id"], row["members"], row["others"], 0)
             for row in placed]
    cells += [(row["unit_id"], row["shift_id"], 0, 0, row["mapped"]) for row in mapped]
    table = {}
    for pk, path, kind in units:
        if kind == UnitKind.SHIFT:
            mine = [c for c in cells if c[1] == pk]
        else:
            mine = [c for c in cells if c[0] in path_of and path_of[c[0]].startswith(path)]
        table[pk] = Density(members=sum(c[2] for c in mine),
                            potential=sum(c[3] + c[4] for c in mine))
    return table


def write_snapshot(*, union, on=None) -> int:
    """Today's (or `on`'s) density of every scope of the union into DensitySnapshot:
    the day's rows replaced, one INSERT … SELECT per scope type."""
    on = on or timezone.localdate()
    table = DensitySnapshot._meta.db_table
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        DensitySnapshot.objects.filter(union=union, date=on).delete()
        for scope_type, rows in ROWS.items():
            queryset = rows(union, on).annotate(
                snap_union=Value(union.pk, output_field=IntegerField()),
                snap_type=Value(str(scope_type)),
                snap_id=F("pk"),
                snap_base=Case(
                    When(n_head_count__gt=0, then=Greatest("n_head_count", "n_members")),
                    default=F("n_members") + F("n_others") + F("n_mapped"),
                    output_field=IntegerField()),
            ).values("snap_union", "snap_type", "snap_id", "n_members", "snap_base")
            sql, params = queryset.query.sql_with_params()
            # Named columns: the inner SELECT's order is Django's to choose. The table
            # name is the model's, the inner SQL Django's with its own parameters.
            statement = (
                f"INSERT INTO {table} (union_id, scope_type, scope_id, members, base, date) "  # noqa: S608
                f"SELECT snap_union, snap_type, snap_id, n_members, snap_base, %s "
                f"FROM ({sql}) _rows")
            cursor.execute(statement, (on, *params))
            written += cursor.rowcount
    return written


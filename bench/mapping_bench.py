"""Workplace mapping at scale (docs/benchmarks.md, "Workplace mapping and union density").

1. The mapping page of a 2,000-person workplace: 2,000 people of the union are moved
   into one workplace (their current employment), which gets 12 units and 3 shifts,
   every person placed, 1,500 assessed (with some history) and 200 potential members —
   all by SQL, as set-up. The page is requested through Django's test client (the whole
   request) by the union's staff: page 1, page 40, and two filters; SQL queries and wall
   times of `--runs` runs each. The same page of a 20-person workplace gives the query
   count to compare with: it must not grow.
2. The union's density recomputed as the daily task does (`density.write_snapshot`):
   every unit, workplace, employer and branch, `--runs` times; and `density_for` of
   5,000 workplaces (what a campaign's target group asks).

Seed first, into a database of your own (docs/benchmarks.md says how), then:

    DATABASE_URL=…/portal_o1bench DJANGO_SETTINGS_MODULE=portal.settings.dev \\
        python -m bench.mapping_bench [--union norden] [--runs 10] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.common import setup_django

setup_django(os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.bench"))

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import report  # noqa: E402
from portal.mapping import actions  # noqa: E402
from portal.mapping.density import density_for, write_snapshot  # noqa: E402
from portal.mapping.models import (  # noqa: E402
    Assessment,
    DensitySnapshot,
    Placement,
    PotentialMember,
    Unit,
    UnitKind,
)
from portal.people.models import Person  # noqa: E402
from portal.union.models import Union  # noqa: E402
from portal.workplaces.models import WorkplacePage  # noqa: E402

BIG = 2000


def _prepare(union, staff, workplace, size: int) -> None:
    """`size` people working at `workplace`, mapped (idempotent: done once per workplace)."""
    if Unit.objects.filter(workplace=workplace).exists():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        have = actions.employees(workplace).count()
        if have < size:
            cursor.execute(
                "UPDATE people_employment SET workplace_id = %s, employer_id = %s, ends_on = NULL "
                "WHERE id IN (SELECT e.id FROM people_employment e WHERE e.union_id = %s "
                "AND (e.workplace_id IS NULL OR e.workplace_id <> %s) ORDER BY e.id LIMIT %s)",
                [workplace.pk, workplace.employer_id, union.pk, workplace.pk, size - have])
        units, parents = [], []
        for n in range(4):
            department = actions.create_unit(workplace=workplace, name=f"Dept {n}",
                                             kind=UnitKind.DEPARTMENT, acting_user=staff)
            parents.append(department)
            units += [actions.create_unit(workplace=workplace, name=f"Unit {n}.{m}",
                                          parent=department, acting_user=staff)
                      for m in range(2)]
        shifts = [actions.create_unit(workplace=workplace, name=f"Shift {n}",
                                      kind=UnitKind.SHIFT, acting_user=staff) for n in range(3)]
        unit_ids = [u.pk for u in units + parents]
        shift_ids = [s.pk for s in shifts]
        people = list(actions.employees(workplace).values_list("pk", flat=True))
        Placement.objects.bulk_create([
            Placement(union=union, workplace=workplace, person_id=pk,
                      unit_id=unit_ids[i % len(unit_ids)], shift_id=shift_ids[i % 3])
            for i, pk in enumerate(people)], ignore_conflicts=True)
        today = timezone.localdate()
        Assessment.objects.bulk_create([
            Assessment(union=union, workplace=workplace, person_id=pk, level=1 + (i + r) % 5,
                       assessed_on=today, assessed_by=staff)
            for i, pk in enumerate(people[:size * 3 // 4]) for r in range(1 + i % 2)])
        PotentialMember.objects.bulk_create([
            PotentialMember(union=union, workplace=workplace, first_name=f"Potential {n}",
                            last_name="Bench", unit_id=unit_ids[n % len(unit_ids)],
                            erase_on=today.replace(year=today.year + 1), added_by=staff)
            for n in range(max(1, size // 10))])


def _page(client, url, params, runs):
    client.get(url, params)  # warm-up
    walls, counts = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            walls.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        counts.append(len(captured))
    walls.sort()
    return statistics.median(walls), walls[max(0, round(0.95 * len(walls)) - 1)], \
        statistics.mode(counts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--union", default="norden")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    union = Union.objects.select_related("site").get(slug=args.union)
    staff = get_user_model().objects.get(union=union, email=f"staff@{union.slug}.example")
    people = Person.objects.for_union(union).count()
    workplaces = WorkplacePage.objects.for_union(union).order_by("pk")
    big, small = workplaces[0], workplaces[1]
    _prepare(union, staff, big, BIG)
    small_size = actions.employees(small).count()
    _prepare(union, staff, small, small_size)  # mapped alike: the same parts on the page
    load = report.load_average()
    print(f"{union.slug}: {people:,} people, {workplaces.count():,} workplaces; load {load}")
    site = union.site
    client = Client(HTTP_HOST=site.hostname if site.port in (80, 443)
                    else f"{site.hostname}:{site.port}")
    client.force_login(staff)
    rows = []
    big_url, small_url = (reverse("mapping:workplace", args=[w.pk]) for w in (big, small))
    a_unit = Unit.objects.filter(workplace=big, kind=UnitKind.DEPARTMENT).first()
    scenarios = [
        (f"{small_size}-person workplace, page 1", small_url, {}),
        (f"{BIG:,}-person workplace, page 1", big_url, {}),
        (f"{BIG:,}-person workplace, page 40", big_url, {"page": 40}),
        ("… filtered: a department, assessment 2", big_url, {"unit": a_unit.pk, "level": "2"}),
        ("… filtered: not assessed, a name", big_url, {"level": "none", "q": "a"}),
    ]
    for title, url, params in scenarios:
        p50, p95, queries = _page(client, url, params, args.runs)
        line = f"| {title} | {queries} | {p50:.0f} | {p95:.0f} |"
        print(line)
        rows.append(line)

    snapshot_times = []
    for _ in range(max(3, args.runs // 3)):
        started = time.perf_counter()
        written = write_snapshot(union=union)
        snapshot_times.append(time.perf_counter() - started)
    by_scope = dict(DensitySnapshot.objects.for_union(union).filter(date=timezone.localdate())
                    .values_list("scope_type").annotate(n=Count("pk")))
    target = workplaces.values("pk")[:5000]
    walls = []
    for _ in range(args.runs):
        started = time.perf_counter()
        table = density_for(union=union, workplaces=target)
        walls.append((time.perf_counter() - started) * 1000)
    print(f"snapshot: {written:,} rows {by_scope}, {statistics.median(snapshot_times):.1f} s "
          f"(max {max(snapshot_times):.1f}); density_for 5,000 workplaces: "
          f"{statistics.median(walls):.0f} ms ({len(table.workplaces)} rows)")
    scopes = ", ".join(f"{n:,} {kind}" for kind, n in sorted(by_scope.items()))
    body = (
        f"`bench/mapping_bench.py` on a union of {people:,} people and "
        f"{workplaces.count():,} workplaces ({union.slug}; `seed_demo --only {union.slug} "
        f"--members 300000 --employers 30000 --workplaces 60000 --branches 1500`), "
        f"{report.postgres_version()}, {report.machine()}, revision {report.git_revision()}; "
        f"load average {load}: {report.machine_state(load)}; the query counts are "
        f"exact. Goals (issue 19): the mapping page of a 2,000-person workplace with "
        f"constant queries; density recomputation of the whole union ≤ 60 s as a task.\n\n"
        f"**The mapping page** (`/mapping/<workplace>/`, staff, Django's test client: the "
        f"whole request), {args.runs} runs after a warm-up. The big workplace: {BIG:,} "
        f"people, 12 units, 3 shifts, everyone placed, 1,500 assessed (half twice), "
        f"{BIG // 10} potential members; the small one mapped alike (the same units, its "
        f"people placed and assessed, one potential member). The big page's queries are "
        f"the small one's: 50 people and 50 potential members a page, each with unit, "
        f"shift and current assessment as columns of one query; a unit filter reads the "
        f"unit once more, and a list that comes out empty writes no audit entry.\n\n"
        "| page | SQL queries | p50 ms | p95 ms |\n|---|---|---|---|\n"
        + "\n".join(rows) + "\n\n"
        f"**Union density** (`mapping.density.write_snapshot`, the daily task's work): "
        f"{written:,} snapshot rows ({scopes}) "
        f"in one INSERT … SELECT per scope type: median {statistics.median(snapshot_times):.1f} s, "
        f"slowest {max(snapshot_times):.1f} s of {len(snapshot_times)} runs. "
        f"`density_for` of 5,000 workplaces (a campaign's target group, one query): median "
        f"{statistics.median(walls):.0f} ms, slowest {max(walls):.0f} ms.\n"
    )
    if args.no_write:
        print(body)
    else:
        report.write_section("Workplace mapping and union density", body)


if __name__ == "__main__":
    main()

"""The people admin's list (portal/contacts) at scale: a union of 300,000 people, the
list with two filters and a search, and its neighbours (docs/benchmarks.md, "People
admin list").

Each scenario is requested through Django's test client (the whole request: middleware,
the view, Elasticsearch, the template), `--runs` times after one warm-up, by the
union's staff; p50/p95 wall time and the SQL query count of every run are printed.
Two different filter values per scenario show that the query count does not depend on
what is found. Seed first, into your own database (docs/benchmarks.md says how), then
`manage.py search_reindex`:

    DATABASE_URL=…/bench_c1 SEARCH_INDEX_PREFIX=portal-bench-c1 \
        python -m bench.contacts_bench [--union pal] [--runs 40] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time

from bench.common import setup_django

setup_django(os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.bench"))

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import report  # noqa: E402
from portal.people.models import Employment, Person  # noqa: E402
from portal.union.models import Union  # noqa: E402
from search.client import is_enabled  # noqa: E402

LIST = "/admin/union-admin/people/"


def _typo(name: str) -> str:
    middle = len(name) // 2
    return name[:middle] + ("a" if name[middle] != "a" else "e") + name[middle + 1:]


def _scenarios(union) -> list[tuple[str, list[dict]]]:
    people = Person.objects.for_union(union)
    branches = list(people.exclude(branch=None).values("branch").annotate(n=Count("pk"))
                    .order_by("-n").values_list("branch", flat=True)[:2])
    names = list(people.values("last_name").annotate(n=Count("pk")).order_by("-n")
                 .values_list("last_name", flat=True)[:2])
    employers = list(Employment.objects.for_union(union).current().values("employer")
                     .annotate(n=Count("pk")).order_by("-n").values_list("employer", flat=True)[:2])
    return [
        ("search (a typo) + status + branch", [
            {"q": _typo(name), "status": "active", "branch": branch}
            for name, branch in zip(names, branches, strict=True)]),
        ("search (a typo) + status + employer", [
            {"q": _typo(name), "status": "active", "employer": employer}
            for name, employer in zip(names, employers, strict=True)]),
        ("status + branch, by name", [{"status": "active", "branch": b} for b in branches]),
        ("status + employer, by name", [{"status": "active", "employer": e}
                                        for e in employers]),
        ("everyone, by name (page 1 and page 100)", [{}, {"page": 100}]),
        ("search only (a typo)", [{"q": _typo(name)} for name in names]),
    ]


def _measure_selector(union, staff, params_list, runs: int):
    """The list's own work (filters, Elasticsearch, the page's rows), without the admin."""
    from portal.contacts.filters import PeopleFilterForm
    from portal.contacts.selectors import people_page

    walls = []
    for run in range(runs + 1):
        form = PeopleFilterForm(params_list[run % len(params_list)], union=union)
        started = time.perf_counter()
        people_page(user=staff, union=union, values=form.values, sort=form.sort_key(),
                    number=form.values.get("page") or 1)
        if run:  # the first is a warm-up
            walls.append(time.perf_counter() - started)
    walls.sort()
    return walls[max(0, round(0.95 * len(walls)) - 1)] * 1000


def _measure(client, params_list, runs: int, path: str = LIST):
    walls, queries, found = [], [], []
    for params in params_list:
        client.get(path, params)  # warm-up: per-process caches, the node's caches
    for run in range(runs):
        params = params_list[run % len(params_list)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, params)
            walls.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries.append(len(captured))
        total = re.search(r'class="contacts-total" role="status">\D*?([\d\s\u00a0]+)',
                          response.content.decode())
        found.append(int(re.sub(r"\D", "", total.group(1))) if total else 0)
    walls.sort()
    p95 = walls[max(0, round(0.95 * len(walls)) - 1)]
    # The usual count, and the others seen: a request that refreshes a per-process cache
    # (the viewer's roles every 30 s, the session once a minute) reads one or two more.
    usual = statistics.mode(queries)
    return (statistics.median(walls) * 1000, p95 * 1000, usual,
            sorted(set(queries) - {usual}), sorted(set(found)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--union", default="pal")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    union = Union.objects.select_related("site").get(slug=args.union)
    # The demo's staff account (it has no person profile of its own).
    staff = get_user_model().objects.get(union=union, email=f"staff@{union.slug}.example")
    total = Person.objects.for_union(union).count()
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(staff)
    load = report.load_average()
    print(f"{union.slug}: {total} people, engine "
          f"{'elasticsearch' if is_enabled() else 'database'}, load {load}")
    rows = []
    p50, p95, usual, other, _found = _measure(client, [{}], args.runs,
                                              path="/admin/union-admin/imports/")
    line = (f"| baseline: the admin's Imports page (no people) | – | {p50:.0f} | {p95:.0f} | "
            f"– | {usual}{' (' + ', '.join(map(str, other)) + ')' if other else ''} |")
    print(line)
    rows.append(line)
    for title, params_list in _scenarios(union):
        p50, p95, usual, other, found = _measure(client, params_list, args.runs)
        own = _measure_selector(union, staff, params_list, args.runs)
        line = (f"| {title} | {', '.join(str(n) for n in found)} | {p50:.0f} | {p95:.0f} | "
                f"{own:.0f} | {usual}{' (' + ', '.join(map(str, other)) + ')' if other else ''} |")
        print(line)
        rows.append(line)
    body = (
        f"`bench/contacts_bench.py`: the people admin's list (`portal/contacts`) of a union of "
        f"{total:,} people ({union.slug}; `seed_demo --only pal --members 300000 --employers "
        f"30000 --workplaces 60000 --branches 1500`, then `search_reindex`), requested by its "
        f"staff through Django's test client (the whole request: middleware, view, "
        f"Elasticsearch, template), {args.runs} runs per scenario after a warm-up, "
        f"alternating two filter values; the search is a last name with one letter "
        f"changed. {report.machine()}; load average {load} (a machine shared with other "
        f"work: the wall times are upper bounds). Goal: p95 ≤ 300 ms with two filters and "
        f"a search, the same query count whatever is found.\n\n"
        "*p50, p95*: the whole request; *list p95*: the list's own work (filters, "
        "Elasticsearch, the page's rows: `contacts.selectors.people_page`); *SQL queries*: "
        "the usual count of the whole request (in brackets others seen, when a request "
        "refreshed a per-process cache).\n\n"
        "| scenario | people found | p50 ms | p95 ms | list p95 ms | SQL queries |\n"
        "|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )
    if args.no_write:
        print(body)
    else:
        report.write_section("People admin list", body)


if __name__ == "__main__":
    main()

"""Member-facing pages of a 300,000-member union side by side with a bare Wagtail page,
and the admin page explorer of a branch chair and of staff.

One run serves the bare project (bench/bare/) and the portal with the same gunicorn
configuration from the same PostgreSQL server and measures them with wrk, interleaved:
each round takes every page in turn at 10 connections (req/s, p50/p95, CPU per request)
and at 1 connection (p50/p95); the table shows the medians of the rounds.

Run by `make bench` (bin/run-bench). By itself, on an already seeded database:
    source var/services/env
    DATABASE_URL=${DATABASE_URL%/*}/portal_bench .venv/bin/python -m bench.pages_bench \\
        --members 5000 --rounds 1 --seconds 3 --pages plain,union,search --no-write
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import ROOT, add_scale_arguments, scale_from, setup_django
from bench.common import session_cookie as common_session_cookie

setup_django()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from wagtail.models import Page  # noqa: E402

from bench import cputime, pages_table, report, wrkrun  # noqa: E402
from bench.serve import gunicorn  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.agreements.models import CollectiveAgreementPage  # noqa: E402
from portal.pages.models import ContentPage  # noqa: E402
from portal.people.models import Person, PositionKind  # noqa: E402
from portal.union.demo import (  # noqa: E402
    DEMO_UNIONS,
    DemoSize,
    remove_wagtail_welcome_site,
    seed_union,
)
from portal.union.models import Union  # noqa: E402
from search.client import get_client, is_enabled  # noqa: E402
from search.documents import alias_name  # noqa: E402
from search.indexing import count_all  # noqa: E402
from search.reindex import reindex  # noqa: E402

BARE_HOST = "bare.localhost"
EXPLORER = ("explorer-branch", "explorer-api", "explorer-employers")


@dataclass
class Target:
    key: str  # its name for --pages
    label: str
    server: str  # "bare" or "portal"
    path: str
    cookie: str
    goal: str  # pages_table.GOALS key
    queries: int | None = None
    samples: list[pages_table.Sample] = field(default_factory=list)


def session_cookie(user: User) -> str:
    return "=".join(common_session_cookie(user))


def ensure_data(size: DemoSize, slug: str) -> tuple[Union, float | None]:
    union = Union.objects.filter(slug=slug).first()
    if union is not None:
        return union, None
    remove_wagtail_welcome_site()
    started = time.monotonic()
    spec = next(spec for spec in DEMO_UNIONS if spec.slug == slug)
    report_ = seed_union(spec, size=size, port=80, default_site=True)
    return report_.union, time.monotonic() - started


def ensure_search_index() -> str:
    """Seeding bulk-creates rows without search documents: index everything once when
    the index holds clearly fewer documents than the database has."""
    if not is_enabled():
        return "no Elasticsearch: search runs on the PostgreSQL fallback"
    client = get_client()
    count = (client.count(index=alias_name())["count"]
             if client.indices.exists_alias(name=alias_name()) else 0)
    if count < 0.9 * count_all():
        reindex()
        count = client.count(index=alias_name())["count"]
    return f"Elasticsearch index of {count:,} documents"


def prepare_bare() -> dict:
    """Creates, migrates and populates the bare project in its own process."""
    finished = subprocess.run(
        [sys.executable, "-m", "bench.bare.prepare", "--host", BARE_HOST], cwd=ROOT,
        capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise SystemExit(f"bench.bare.prepare failed:\n{finished.stderr}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def portal_targets(union: Union) -> list[Target]:
    root_path = union.root_page.url_path

    def path_of(page) -> str:
        return page.url_path[len(root_path) - 1:]

    plain = ContentPage.objects.for_union(union).filter(slug="bench-plain").first()
    if plain is None:
        plain = union.root_page.add_child(instance=ContentPage(
            title="Plain page", slug="bench-plain", union=union,
            body="<p>A plain Wagtail page: the baseline.</p>"))
    member = User.objects.get(email=f"member@{union.slug}.example")
    chair = User.objects.get(email=f"chair@{union.slug}.example")
    staff = User.objects.get(email=f"staff@{union.slug}.example")
    person = Person.objects.get(user=member)
    workplace = person.employments.get().workplace
    employer = workplace.employer.specific
    agreement = (employer.agreements.first()
                 or CollectiveAgreementPage.objects.for_union(union).live().first())
    # A realistic query: some member's surname, and its first letters as typed.
    names = Person.objects.for_union(union).exclude(pk=person.pk).order_by("pk")
    surname = names.values_list("last_name", flat=True)[min(500, names.count() - 1)]
    chair_branch = chair.person.positions.get(kind=PositionKind.BRANCH_CHAIR).scope_page
    m, c, s = session_cookie(member), session_cookie(chair), session_cookie(staff)
    return [
        Target("plain", "plain page", "portal", path_of(plain), m, "member"),
        Target("union", "union", "portal", "/", m, "member"),
        Target("branch", "branch", "portal", path_of(person.branch.specific), m, "member"),
        Target("employer", "employer", "portal", path_of(employer), m, "member"),
        Target("workplace", "workplace", "portal", path_of(workplace), m, "member"),
        Target("agreement", "agreement", "portal", path_of(agreement), m, "member"),
        Target("profile", "own profile", "portal", "/profile/", m, "member"),
        Target("activity", "activity stream", "portal", "/activity/", m, "member"),
        Target("search", f"search results (“{surname}”)", "portal",
               f"/search/?q={surname}", m, "search"),
        Target("autocomplete", f"search autocomplete (“{surname[:4]}”)", "portal",
               f"/search/autocomplete/?q={surname[:4]}", m, "autocomplete"),
        Target("explorer-branch", "chair: explorer listing of their branch", "portal",
               f"/admin/pages/{chair_branch.pk}/", c, "explorer"),
        Target("explorer-api", "chair: explorer menu API (Wagtail #14593)", "portal",
               f"/admin/api/main/pages/?child_of={chair_branch.pk}&for_explorer=1", c,
               "explorer"),
        Target("explorer-employers", "staff: explorer listing of the employers (first page)",
               "portal", f"/admin/pages/{workplace.employer.get_parent().pk}/", s, "explorer"),
    ]


def count_queries(host: str, target: Target) -> int:
    """SQL of one request in this process, after a first request has warmed its caches."""
    client = Client(HTTP_HOST=host)
    name, _, key = target.cookie.partition("=")
    client.cookies[name] = key
    if (status := client.get(target.path).status_code) != 200:
        raise SystemExit(f"{target.label}: {target.path} answered {status}")
    with CaptureQueriesContext(connection) as queries:
        client.get(target.path)
    return len(queries)


def service_pids() -> tuple[int | None, int | None]:
    """PostgreSQL's postmaster and Elasticsearch's pids, if this machine runs them."""
    with connection.cursor() as cursor:
        try:
            cursor.execute("SHOW data_directory")
            data_directory = cursor.fetchone()[0]
        except Exception:  # noqa: BLE001 - not a superuser: fall back to the environment
            data_directory = os.environ.get("PGDATA", "")
    state = Path(os.environ.get("BENCH_SERVICES_DIR", ROOT / "var" / "services"))
    return cputime.postmaster_pid(data_directory), cputime.pid_from_file(state / "es.pid")


def backend_pids(databases: list[str]) -> list[int]:
    """PostgreSQL backends connected to the bench's databases, other than this process's."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = ANY(%s) "
                       "AND pid <> pg_backend_pid()", [databases])
        return [row[0] for row in cursor.fetchall()]


def measure(target: Target, port: int, app_pid: int, pg_pid: int | None,
            es_pid: int | None, host: str, seconds: float, connections: int,
            databases: list[str]) -> None:
    pids = [p for p in (app_pid, pg_pid, es_pid) if p]
    before = cputime.tree_seconds(*pids)
    backends_before = cputime.own_seconds(backend_pids(databases))
    many = wrkrun.run(port=port, path=target.path, host=host, cookie=target.cookie,
                      connections=connections, seconds=seconds)
    after = cputime.tree_seconds(*pids)
    backends_after = cputime.own_seconds(backend_pids(databases))
    one = wrkrun.run(port=port, path=target.path, host=host, cookie=target.cookie,
                     connections=1, seconds=seconds)
    for result in (many, one):
        if result.failures or not result.requests:
            raise SystemExit(f"{target.label}: {result.non2xx} responses other than 2xx, "
                             f"{result.socket_errors} socket errors in {result.requests}")

    def ms_per_request(pid: int | None) -> float | None:
        return (after[pid] - before[pid]) * 1000 / many.requests if pid else None

    # Backends that ended during the run are missing here (their CPU is in pg_ms).
    backends = sum(used - backends_before.get(pid, 0.0) for pid, used in backends_after.items())
    target.samples.append(pages_table.Sample(
        rps=many.rps, p50_1=one.p50_ms, p95_1=one.p95_ms, p50_n=many.p50_ms,
        p95_n=many.p95_ms, app_ms=ms_per_request(app_pid), pg_ms=ms_per_request(pg_pid),
        pg_own_ms=backends * 1000 / many.requests, es_ms=ms_per_request(es_pid)))


def revision() -> str:
    diff = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "portal", "themes",
                           "search", "bench"], cwd=ROOT, capture_output=True, check=False)
    return report.git_revision() + (" with uncommitted changes" if diff.returncode == 1 else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_scale_arguments(parser)
    parser.add_argument("--union", default=DEMO_UNIONS[0].slug,
                        help="Demo union to use; seeded at the given size if missing.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="Length of each wrk run (one at 10, one at 1 connection).")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers.")
    parser.add_argument("--pages", default="",
                        help="Comma-separated subset (the bare page is always measured): "
                             "plain,union,branch,employer,workplace,agreement,profile,"
                             "activity,search,autocomplete," + ",".join(EXPLORER))
    parser.add_argument("--no-write", action="store_true",
                        help="Print the section only; leave docs/benchmarks.md alone.")
    args = parser.parse_args()
    wrkrun.require_wrk()
    # A database reused across runs follows the code's migrations (a no-op when current).
    call_command("migrate", interactive=False, verbosity=0)
    size = scale_from(args)
    union, seed_seconds = ensure_data(size, args.union)
    search_note = ensure_search_index()
    host = union.site.hostname
    bare = prepare_bare()
    targets = [Target("bare", "bare Wagtail page", "bare", bare["path"], bare["cookie"],
                      "baseline", bare["queries"])]
    targets += portal_targets(union)
    if args.pages:
        wanted = {name.strip() for name in args.pages.split(",") if name.strip()}
        unknown = wanted - {t.key for t in targets}
        if unknown:
            raise SystemExit(f"unknown --pages: {', '.join(sorted(unknown))}")
        targets = [t for t in targets if t.key == "bare" or t.key in wanted]
    for target in targets[1:]:
        target.queries = count_queries(host, target)
    pages = [t for t in targets if t.goal != "explorer"]
    explorer = [t for t in targets if t.goal == "explorer"]
    pg_pid, es_pid = service_pids()
    databases = [settings.DATABASES["default"]["NAME"], bare["database"]]

    with ExitStack() as stack:
        servers = {
            "bare": (*stack.enter_context(gunicorn(
                "bench.bare.wsgi:application", settings="bench.bare.settings",
                workers=args.workers, host=BARE_HOST)), BARE_HOST),
            "portal": (*stack.enter_context(gunicorn(
                "portal.wsgi:application", settings="portal.settings.bench",
                workers=args.workers, host=host)), host),
        }
        for target in targets:  # every worker has served every path once
            port, _pid, target_host = servers[target.server]
            wrkrun.run(port=port, path=target.path, host=target_host, cookie=target.cookie,
                       connections=2 * args.workers, seconds=2)
        load_start = report.load_average()
        started = time.monotonic()
        for round_ in range(args.rounds):
            # Each round starts one page later, so that no page always follows the same one.
            shift = round_ % len(pages)
            for target in pages[shift:] + pages[:shift]:
                port, pid, target_host = servers[target.server]
                measure(target, port, pid, pg_pid, es_pid, target_host, args.seconds,
                        args.connections, databases)
            for target in explorer:
                port, pid, target_host = servers[target.server]
                result = wrkrun.run(port=port, path=target.path, host=target_host,
                                    cookie=target.cookie, connections=1,
                                    seconds=max(args.seconds, 5))
                if result.failures or not result.requests:
                    raise SystemExit(f"{target.label}: failed requests")
                target.samples.append(pages_table.Sample(
                    rps=result.rps, p50_1=result.p50_ms, p95_1=result.p95_ms))
        load_end = report.load_average()
        minutes = (time.monotonic() - started) / 60

    people = Person.objects.filter(union=union).count()
    lines = [
        f"Machine: {report.machine()}; load average (1 min) {load_start} at the start and "
        f"{load_end} at the end of the {minutes:.0f} measuring minutes. "
        f"{report.postgres_version()}; {search_note}. Revision {revision()}.",
        "",
        f"Data: one union of {people:,} people, {size.branches:,} branches, "
        f"{size.employers:,} employers, {size.workplaces:,} workplaces; "
        f"{Page.objects.count():,} pages in the tree."
        + (f" Seeding it took {seed_seconds:.0f} s." if seed_seconds else ""),
        "",
        pages_table.method(rounds=args.rounds, seconds=args.seconds,
                           connections=args.connections, workers=args.workers),
        "",
        *pages_table.pages_rows(pages, connections=args.connections),
    ]
    shortfall = pages_table.shortfall_rows(pages)
    if shortfall:
        lines += ["", *shortfall]
    if explorer:
        lines += ["", *pages_table.explorer_rows(explorer)]
    text = "\n".join(lines)
    if not args.no_write:
        report.write_section("Member-facing pages and the admin explorer at scale", text)
    print(text)  # noqa: T201


if __name__ == "__main__":
    main()

"""Where a signed-in member's page request spends its time, in one process.

Profiles N requests of each page through Django's test client (the whole middleware
stack and template rendering, no network) with cProfile, and prints the SQL per request
and the functions with the most cumulative time. Used to find the fixed per-request
overhead (issue 13); the figures before and after are in docs/benchmarks.md.

Usage: DATABASE_URL=... python -m bench.profile_pages [--union pal] [--requests 200]
       [--pages plain,union,...] [--top 30] [--user member] [--cpu-only] [--timer cpu]

`--user` is the demo login's first part (member, chair, steward, staff); `--cpu-only`
prints, instead of the profile, the SQL, the function calls per request (exact, so
comparable on a busy machine) and the CPU time's median and lower quartile; `--timer cpu`
makes the profile count this process's CPU time instead of the wall clock, so that
waiting for PostgreSQL and Elasticsearch is left out.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time

from bench.common import setup_django

setup_django()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from portal.accounts.models import User  # noqa: E402
from portal.agreements.models import CollectiveAgreementPage  # noqa: E402
from portal.pages.models import ContentPage  # noqa: E402
from portal.people.models import Person  # noqa: E402
from portal.union.models import Union  # noqa: E402


def plain_page(union: Union) -> ContentPage:
    plain = ContentPage.objects.for_union(union).filter(slug="bench-plain").first()
    if plain is None:
        plain = union.root_page.add_child(instance=ContentPage(
            title="Plain page", slug="bench-plain", union=union,
            body="<p>A plain Wagtail page: the baseline.</p>"))
    return plain


def member_pages(union: Union, names: list[str]) -> dict[str, str]:
    root = len(union.root_page.url_path) - 1
    # The plain page is made when missing, and only when asked for.
    plain = plain_page(union) if "plain" in names else None
    person = Person.objects.get(user__email=f"member@{union.slug}.example")
    workplace = person.employments.get().workplace
    return {
        "plain": plain.url_path[root:] if plain else "",
        "union": "/",
        "branch": person.branch.specific.url_path[root:],
        "employer": workplace.employer.url_path[root:],
        "workplace": workplace.url_path[root:],
        "agreement": (workplace.employer.specific.agreements.first()
                      or CollectiveAgreementPage.objects.for_union(union).live().first()
                      ).url_path[root:],
        "profile": "/profile/",
        "activity": "/activity/",
        "search": f"/search/?q={person.last_name}",
        "autocomplete": f"/search/autocomplete/?q={person.last_name[:4]}",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--union", default="pal")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pages", default="plain")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--user", default="member")
    parser.add_argument("--cpu-only", action="store_true")
    # "cpu": the profile counts this process's CPU time, not the time spent waiting for
    # PostgreSQL or Elasticsearch (which on a busy machine swamps the listing).
    parser.add_argument("--timer", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    union = Union.objects.select_related("site").get(slug=args.union)
    pages = member_pages(union, args.pages.split(","))
    client = Client(HTTP_HOST=union.site.hostname)
    client.force_login(User.objects.get(email=f"{args.user}@{union.slug}.example"))
    for name in args.pages.split(","):
        path = pages[name]
        for _ in range(5):  # warm caches, templates, imports
            assert client.get(path).status_code == 200, (name, path)
        queries: list[str] = []

        def remember(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(remember):
            client.get(path)
        cpu = []
        for _ in range(args.requests):  # CPU time of this process, without the profiler
            started = time.process_time()
            client.get(path)
            cpu.append((time.process_time() - started) * 1000)
        if args.cpu_only:
            # Function calls per request: exact, whatever else the machine does.
            counter = cProfile.Profile()
            counter.enable()
            for _ in range(20):
                client.get(path)
            counter.disable()
            calls = pstats.Stats(counter).total_calls / 20
            quartile = statistics.quantiles(cpu, n=4)[0]
            print(f"== {name} {path} as {args.user}: {len(queries)} queries, "  # noqa: T201
                  f"{calls:,.0f} calls, CPU median {statistics.median(cpu):.2f} ms, "
                  f"lower quartile {quartile:.2f} ms")
            continue
        times = []
        profiler = (cProfile.Profile(time.process_time) if args.timer == "cpu"
                    else cProfile.Profile())
        for _ in range(args.requests):
            started = time.perf_counter()
            profiler.enable()
            client.get(path)
            profiler.disable()
            times.append((time.perf_counter() - started) * 1000)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        print(f"== {name} {path}: {len(queries)} queries, "  # noqa: T201
              f"CPU median {statistics.median(cpu):.1f} ms without the profiler, "
              f"wall median {statistics.median(times):.1f} ms under it")
        for sql in queries:
            print("   ", sql[:200])  # noqa: T201
        print(out.getvalue())  # noqa: T201


if __name__ == "__main__":
    main()

"""Member-facing pages at a 300,000-member union, served by gunicorn, next to a plain
Wagtail page in the same run; and the admin page explorer of a branch chair.

Run by `make bench` (bin/run-bench), which starts throwaway PostgreSQL first.
Usage: DATABASE_URL=... python -m bench.pages_bench [--members N ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
import urllib.request

from bench.common import (  # noqa: E402
    ROOT,
    add_scale_arguments,
    free_port,
    scale_from,
    setup_django,
)

setup_django()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from wagtail.models import Page  # noqa: E402

from bench import loadgen, report  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.pages.models import ContentPage  # noqa: E402
from portal.people.models import Person, PositionKind  # noqa: E402
from portal.union.demo import (  # noqa: E402
    DEMO_UNIONS,
    DemoSize,
    remove_wagtail_welcome_site,
    seed_union,
)
from portal.union.models import Union  # noqa: E402


def session_cookie(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(3600 * 4)
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def wait_for(url: str, host: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"Host": host})
            with urllib.request.urlopen(request, timeout=5):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {url} within {timeout:.0f} s")


def ensure_data(size: DemoSize, slug: str) -> tuple[Union, float | None]:
    union = Union.objects.filter(slug=slug).first()
    if union is not None:
        return union, None
    remove_wagtail_welcome_site()
    started = time.monotonic()
    spec = next(spec for spec in DEMO_UNIONS if spec.slug == slug)
    report_ = seed_union(spec, size=size, port=80, default_site=True)
    return report_.union, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    add_scale_arguments(parser)
    parser.add_argument("--union", default=DEMO_UNIONS[0].slug,
                        help="Demo union to use; seeded at the given size if missing.")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    size = scale_from(args)
    union, seed_seconds = ensure_data(size, args.union)
    host = union.site.hostname
    plain = ContentPage.objects.for_union(union).filter(slug="bench-plain").first()
    if plain is None:
        plain = union.root_page.add_child(instance=ContentPage(
            title="Plain page", slug="bench-plain", union=union,
            body="<p>A plain Wagtail page: the baseline.</p>"))
    member = User.objects.get(email=f"member@{union.slug}.example")
    chair = User.objects.get(email=f"chair@{union.slug}.example")
    member_person = Person.objects.get(user=member)
    branch = member_person.branch
    workplace = member_person.employments.get().workplace
    chair_branch = chair.person.positions.get(kind=PositionKind.BRANCH_CHAIR).scope_page
    pages = {
        "plain page (baseline)": plain.url_path[len(union.root_page.url_path) - 1:],
        "union": "/",
        "branch": branch.specific.url_path[len(union.root_page.url_path) - 1:],
        "employer": workplace.employer.url_path[len(union.root_page.url_path) - 1:],
        "workplace": workplace.url_path[len(union.root_page.url_path) - 1:],
        "own profile": "/profile/",
    }
    member_cookie = session_cookie(member)
    chair_cookie = session_cookie(chair)
    staff_cookie = session_cookie(User.objects.get(email=f"staff@{union.slug}.example"))

    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.bench"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env)
    try:
        wait_for(f"http://127.0.0.1:{port}/", host)
        for path in pages.values():  # warm up every worker and path
            loadgen.run(port=port, path=path, host=host, cookie=member_cookie, clients=4,
                        max_requests=40, max_seconds=10)
        results: dict[str, list[loadgen.Result]] = {name: [] for name in pages}
        for _round in range(args.rounds):
            for name, path in pages.items():
                result = loadgen.run(port=port, path=path, host=host, cookie=member_cookie,
                                     clients=10, max_requests=5000, max_seconds=args.seconds)
                if result.errors:
                    raise SystemExit(f"{name}: {result.errors} failed requests")
                results[name].append(result)
        explorer = {}
        employer_index = workplace.employer.get_parent()
        for label, path, cookie in (
            ("chair: explorer listing of their branch", f"/admin/pages/{chair_branch.pk}/",
             chair_cookie),
            ("chair: explorer menu API (Wagtail #14593)",
             f"/admin/api/main/pages/?child_of={chair_branch.pk}&for_explorer=1",
             chair_cookie),
            ("staff: explorer listing of 30,000 employers (first page)",
             f"/admin/pages/{employer_index.pk}/", staff_cookie),
        ):
            runs = [loadgen.run(port=port, path=path, host=host, cookie=cookie,
                                clients=1, max_requests=15, max_seconds=30)
                    for _ in range(args.rounds)]
            if any(r.errors for r in runs):
                raise SystemExit(f"{label}: failed requests")
            explorer[label] = runs
    finally:
        server.terminate()
        server.wait(timeout=30)

    baseline = statistics.median(r.throughput for r in results["plain page (baseline)"])
    lines = [
        f"Machine: {report.machine()}; load average at the end {report.load_average()}. "
        f"{report.postgres_version()}, gunicorn with {args.workers} sync workers, "
        f"10 concurrent keep-alive clients on loopback (bench/loadgen.py), signed in as "
        f"the demo member. Revision {report.git_revision()}.",
        "",
        f"Data: one union of {Person.objects.filter(union=union).count():,} people, "
        f"{size.branches:,} branches, {size.employers:,} employers, "
        f"{size.workplaces:,} workplaces; {Page.objects.count():,} pages in the tree."
        + (f" Seeding it took {seed_seconds:.0f} s (goal ≤ 600 s)." if seed_seconds else ""),
        "",
        f"Median of {args.rounds} runs of up to {args.seconds:.0f} s each, pages interleaved:",
        "",
        "| page | req/s | × plain | median ms | p95 ms | goal ≥ 0.85× plain | goal p95 ≤ 100 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, runs in results.items():
        throughput = statistics.median(r.throughput for r in runs)
        median = statistics.median(r.median_ms for r in runs)
        p95 = statistics.median(r.percentile(95) for r in runs)
        ratio = throughput / baseline if baseline else 0
        throughput_goal = "baseline" if name.startswith("plain") else (
            "met" if ratio >= 0.85 else "**not met**")
        latency_goal = "met" if p95 <= 100 else "**not met**"
        lines.append(f"| {name} | {throughput:.0f} | {ratio:.2f} | {median:.1f} | {p95:.1f} "
                     f"| {throughput_goal} | {latency_goal} |")
    lines += ["", "Admin page explorer (one client, sequential requests):", "",
              "| view | median ms | p95 ms | goal (≤ 1000 ms) |", "|---|---|---|---|"]
    for label, runs in explorer.items():
        median = statistics.median(r.median_ms for r in runs)
        p95 = statistics.median(r.percentile(95) for r in runs)
        lines.append(f"| {label} | {median:.0f} | {p95:.0f} | "
                     f"{'met' if p95 <= 1000 else '**not met**'} |")
    report.write_section("Member-facing pages and the admin explorer at scale", "\n".join(lines))
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()

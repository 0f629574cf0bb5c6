"""The data-quality refresh of one union at scale: wall time and the PostgreSQL backend's
CPU per check (docs/benchmarks.md, "Data-quality report").

The CPU is read from /proc for the session's backend, with parallel query off so that
all the work is in that one process: on a shared, loaded machine it says what the
checks cost where the wall clock says how long others made them wait.
Usage: DATABASE_URL=... python -m bench.dataquality_bench [--union norden] [--runs 3]
(seed first, e.g. `manage.py seed_demo --only norden --members 300000 ...`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.common import setup_django

setup_django(os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.dev"))

from django.db import connection  # noqa: E402

from bench.cputime import own_seconds  # noqa: E402
from portal.dataquality.actions import refresh_report  # noqa: E402
from portal.dataquality.checks import CHECKS  # noqa: E402
from portal.dataquality.models import Trigger  # noqa: E402
from portal.people.models import Person  # noqa: E402
from portal.union.models import Union  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--union", default="norden")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    union = Union.objects.get(slug=args.union)
    people = Person.objects.for_union(union).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        # As refresh_report sets them for its transaction.
        cursor.execute("SET work_mem = '64MB'")
        cursor.execute("SET jit = off")
    print(f"{union.slug}: {people} people, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}")
    walls: dict[str, list[float]] = {c.key: [] for c in CHECKS}
    cpus: dict[str, list[float]] = {c.key: [] for c in CHECKS}
    counts = {}
    for _run in range(args.runs):
        for check in CHECKS:
            cpu0, wall0 = own_seconds([backend])[backend], time.monotonic()
            counts[check.key] = check.count(union)
            walls[check.key].append(time.monotonic() - wall0)
            cpus[check.key].append(own_seconds([backend])[backend] - cpu0)
    print(f"{'check':30} {'found':>7} {'wall s':>7} {'db CPU s':>8}")
    for check in CHECKS:
        print(f"{check.key:30} {counts[check.key]:7} {statistics.median(walls[check.key]):7.2f} "
              f"{statistics.median(cpus[check.key]):8.2f}")
    print(f"{'sum of medians':30} {'':7} "
          f"{sum(statistics.median(w) for w in walls.values()):7.2f} "
          f"{sum(statistics.median(c) for c in cpus.values()):8.2f}")
    with connection.cursor() as cursor:
        cursor.execute("RESET max_parallel_workers_per_gather")
    started = time.monotonic()
    snapshot = refresh_report(union=union, trigger=Trigger.COMMAND)
    print(f"refresh_report (one snapshot, parallel query on): "
          f"{time.monotonic() - started:.1f} s wall ({snapshot.duration_ms} ms in the "
          f"checks), load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

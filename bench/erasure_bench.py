"""Erasure of a fully populated person (issue 17 item 4, goal ≤ 2 s including the
index): wall time and query count of `erasure.actions.erase_person` plus the search
outbox's drain that deletes the person's Elasticsearch document, median of several runs,
with a baseline in the same run: erasing a person with a bare profile (the registry's
fixed cost: one COUNT and one statement per declared model) (docs/benchmarks.md,
"Erasure").

Each run builds a new person (the access-export bench's population: employments,
positions, trainings, deliveries, activity, groups, custom values, life events, audit
entries by and about them), indexes them, and erases them; everything runs in one
transaction that is rolled back at the end (the index keeps nothing either: the erasure
deleted the documents).
Usage: DATABASE_URL=... ELASTICSEARCH_URL=... python -m bench.erasure_bench [--union pal]
       [--runs 5] [--rows 500]   (a seeded union: `manage.py seed_demo --only pal`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.common import setup_django

setup_django(os.environ.get("DJANGO_SETTINGS_MODULE", "portal.settings.dev"))

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.access_export_bench import _populate  # noqa: E402
from portal.accounts.actions import create_user  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.erasure import actions  # noqa: E402
from portal.people import actions as people_actions  # noqa: E402
from portal.people.models import Person  # noqa: E402
from portal.union.models import Role, Union  # noqa: E402
from search import outbox  # noqa: E402
from search.client import get_client, is_enabled  # noqa: E402
from search.documents import alias_name, person_doc_id  # noqa: E402


def _person(union, staff, n: int, rows: int) -> Person:
    person = people_actions.create_person(
        union=union, first_name="Bench", last_name=f"Erasure{n}", email=f"erase{n}@bench.example",
        phone="+358401110000", member_number=f"ERASE-{n}")
    if rows:
        account = create_user(email=f"erase{n}.account@bench.example", union=union,
                              roles=(Role.MEMBER,))
        people_actions.activate_profile(person=person, user=account)
        person.refresh_from_db()
        _populate(union, person, staff, rows)
    outbox.enqueue(person)
    outbox.drain()
    return person


def _erase(person, staff) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        actions.erase_person(person=person, acting_user=staff)
        outbox.drain()  # what the task does after the commit: the document leaves the index
        elapsed = time.perf_counter() - started
    return elapsed, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--union", default="pal")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args()
    if not is_enabled():
        raise SystemExit("Set ELASTICSEARCH_URL: the goal includes the index.")
    union = Union.objects.get(slug=args.union)
    staff = User.objects.filter(union=union, groups__union_role__role=Role.ADMIN).first()
    print(f"{union.slug}: {Person.objects.for_union(union).count()} people; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    results = {"bare": [], "full": []}
    with transaction.atomic():
        for n in range(args.runs):
            for kind, rows in (("bare", 0), ("full", args.rows)):
                person = _person(union, staff, n * 2 + (kind == "full"), rows)
                pk = person.pk
                assert get_client().exists(index=alias_name(), id=person_doc_id(pk))
                results[kind].append(_erase(person, staff))
                get_client().indices.refresh(index=alias_name())
                assert not get_client().exists(index=alias_name(), id=person_doc_id(pk))
        transaction.set_rollback(True)
    for kind, runs in results.items():
        times = [t for t, _q in runs]
        print(f"{kind:5}: median {statistics.median(times) * 1000:.0f} ms "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}), "
              f"{statistics.median(q for _t, q in runs):.0f} queries, {len(runs)} runs")


if __name__ == "__main__":
    main()
